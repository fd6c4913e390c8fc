/**
 * Settings of the eventhubs source (Event Hubs over AMQP, `@azure/event-hubs`), from the connector's keys. Chosen by
 * `source.type=eventhubs`; `topics` names the one event hub read, as for the kafka source.
 * @module
 */
import { defineSchema, Secret, type Values } from '../../config/index.ts';

/** Where checkpoints and partition ownership are kept. */
export type CheckpointStoreSettings =
  | { readonly kind: 'blob'; readonly connectionString: Secret; readonly container: string }
  | { readonly kind: 'file'; readonly path: string };

/** Settings of one eventhubs source. */
export interface EventHubsSourceConfig {
  /** The event hub, as a one-element list (the engine's topic of every record). */
  readonly topics: readonly string[];
  readonly eventHub: string;
  /** AMQP consumer group; it must exist (the portal, CLI or template creates it). */
  readonly groupId: string;
  readonly connectionString: Secret | undefined;
  /**
   * The namespace FQDN (`acme.servicebus.windows.net`), from the connection string or `eventhubs.namespace`: the
   * first level of the checkpoint store's layout, whatever `endpointAddress` connects to.
   */
  readonly namespace: string;
  /** Entra ID instead of a connection string: the namespace FQDN, and a user-assigned identity's client id. */
  readonly oauth: { readonly namespace: string; readonly clientId: string | undefined } | undefined;
  /** `amqps://host:port` to connect to instead of the namespace (private endpoints, the test peer). */
  readonly endpointAddress: string | undefined;
  /** AMQP over TLS (5671), or AMQP over WebSockets (`wss://<host>:443/$servicebus/websocket`). */
  readonly transport: 'amqp' | 'websockets';
  /** PEM file of CAs to trust besides the system ones. */
  readonly caFile: string | undefined;
  /** Where a partition without checkpoint starts (the log start or end), unless `startEnqueuedTime` is set. */
  readonly autoOffsetReset: 'earliest' | 'latest';
  /** A partition without checkpoint starts at the first event enqueued at or after this time. */
  readonly startEnqueuedTime: Date | undefined;
  readonly maxBatchSize: number;
  readonly maxWaitTimeSeconds: number;
  readonly loadBalancing: {
    readonly strategy: 'balanced' | 'greedy';
    readonly updateIntervalMs: number;
    readonly ownershipExpiryMs: number;
  };
  readonly checkpointStore: CheckpointStoreSettings;
}

/** Connector keys of the eventhubs source (those it shares with the kafka source keep their meaning). */
export const eventHubsSourceSchema = defineSchema({
  'eventhubs.consumer.group': {
    type: 'string',
    doc:
      'AMQP consumer group of the event hub. Default logbridge-<connector name>; create it first (portal, az ' +
      'eventhubs eventhub consumer-group create): unlike Kafka groups, AMQP groups are never created by clients.',
  },
  'eventhubs.endpoint.address': {
    type: 'string',
    destination: { kind: 'url', credentialsIn: 'the connection string or the identity authenticates' },
    doc: 'amqps://host:port to connect to instead of the namespace (private endpoint, test peer); tokens still name the namespace.',
  },
  'eventhubs.transport': {
    type: 'enum',
    values: ['amqp', 'websockets'],
    default: 'amqp',
    doc:
      'amqp: AMQP 1.0 over TLS, port 5671. websockets: AMQP over WebSockets, port 443 ' +
      '(wss://<namespace>/$servicebus/websocket), for networks that allow only HTTPS out.',
  },
  'eventhubs.ssl.ca.location': {
    type: 'string',
    file: true,
    doc: 'PEM file of CA certificates to trust besides the system ones (added to the process defaults: the SDK has no CA option).',
  },
  'eventhubs.start.position': {
    type: 'enum',
    values: ['earliest', 'latest'],
    default: 'earliest',
    doc: 'Where a partition without checkpoint starts. earliest: a log bridge must not skip silently.',
  },
  'eventhubs.start.enqueued.time': {
    type: 'string',
    doc:
      'ISO 8601 time (2026-03-01T00:00:00Z): a partition without checkpoint starts at the first event enqueued at ' +
      'or after it, instead of eventhubs.start.position. To start at a sequence number, use logbridge offsets reset ' +
      '--to-offset N (per partition, with a plan).',
  },
  'eventhubs.max.batch.size': {
    type: 'int',
    min: 1,
    default: 500,
    doc: 'Events handed over per partition per receive (the SDK keeps up to 3× this much credit).',
  },
  'eventhubs.max.wait.time.seconds': {
    type: 'int',
    min: 1,
    default: 1,
    doc: 'How long a receive waits to fill a batch.',
  },
  'eventhubs.load.balancing.strategy': {
    type: 'enum',
    values: ['balanced', 'greedy'],
    default: 'balanced',
    doc: 'How replicas claim partitions: balanced (one per update interval) or greedy (all their share at once).',
  },
  'eventhubs.load.balancing.update.interval.ms': {
    type: 'int',
    min: 100,
    default: 10000,
    doc: 'How often ownership is renewed and partitions claimed.',
  },
  'eventhubs.load.balancing.ownership.expiry.ms': {
    type: 'int',
    min: 1000,
    default: 60000,
    doc: 'An ownership not renewed for this long is free to claim; also how long `offsets` counts an owner as live.',
  },
  'eventhubs.checkpoint.store': {
    type: 'enum',
    values: ['blob', 'file'],
    default: 'blob',
    doc: 'blob: Azure Blob Storage, shared by replicas (the SDK layout); file: a local JSON file, one replica only.',
  },
  'eventhubs.checkpoint.blob.connection.string': {
    type: 'string',
    sensitive: true,
    destination: { kind: 'storage-connection-string' },
    doc: 'Azure Storage connection string of the checkpoint account (eventhubs.checkpoint.store=blob).',
  },
  'eventhubs.checkpoint.blob.container': {
    type: 'string',
    doc: 'Blob container of checkpoints and ownership; it must exist.',
  },
  'eventhubs.checkpoint.file.path': {
    type: 'string',
    file: true,
    doc: 'JSON file of checkpoints and ownership (eventhubs.checkpoint.store=file), on a volume that outlives the pod.',
  },
});

/** Typed settings from parsed options; `name` is the connector's. */
export function eventHubsSourceConfigFrom(
  values: Values<typeof eventHubsSourceSchema>,
  shared: {
    readonly eventHub: string;
    readonly connectionString: Secret | undefined;
    readonly namespace: string | undefined;
    readonly clientId: string | undefined;
  },
  name: string,
): EventHubsSourceConfig {
  return {
    topics: [shared.eventHub],
    eventHub: shared.eventHub,
    groupId: values['eventhubs.consumer.group'] ?? `logbridge-${name}`,
    connectionString: shared.connectionString,
    namespace: namespaceOf(shared.connectionString) ?? shared.namespace ?? '',
    oauth:
      shared.connectionString === undefined && shared.namespace !== undefined
        ? { namespace: shared.namespace, clientId: shared.clientId }
        : undefined,
    endpointAddress: values['eventhubs.endpoint.address'],
    transport: values['eventhubs.transport'] as 'amqp' | 'websockets',
    caFile: values['eventhubs.ssl.ca.location'],
    autoOffsetReset: values['eventhubs.start.position'] as 'earliest' | 'latest',
    startEnqueuedTime: timeOf(values['eventhubs.start.enqueued.time']),
    maxBatchSize: values['eventhubs.max.batch.size'],
    maxWaitTimeSeconds: values['eventhubs.max.wait.time.seconds'],
    loadBalancing: {
      strategy: values['eventhubs.load.balancing.strategy'] as 'balanced' | 'greedy',
      updateIntervalMs: values['eventhubs.load.balancing.update.interval.ms'],
      ownershipExpiryMs: values['eventhubs.load.balancing.ownership.expiry.ms'],
    },
    checkpointStore: checkpointStoreOf(values),
  };
}

function checkpointStoreOf(values: Values<typeof eventHubsSourceSchema>): CheckpointStoreSettings {
  return values['eventhubs.checkpoint.store'] === 'file'
    ? { kind: 'file', path: values['eventhubs.checkpoint.file.path'] ?? '' }
    : {
        kind: 'blob',
        connectionString: values['eventhubs.checkpoint.blob.connection.string'] ?? new Secret(''),
        container: values['eventhubs.checkpoint.blob.container'] ?? '',
      };
}

/** The time of an ISO 8601 value, or undefined (absent or not a time: validation reports it). */
export function timeOf(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** The host of a connection string's `Endpoint=sb://<host>[:port]/`, lower-cased. */
export function namespaceOf(connectionString: Secret | undefined): string | undefined {
  const endpoint = /(?:^|;)\s*Endpoint\s*=\s*sb:\/\/([^/:;]+)/i.exec(connectionString?.reveal() ?? '');
  return endpoint?.[1]?.toLowerCase();
}
