/**
 * Settings of the kafka source, already validated and typed (the connector schema in src/config maps the
 * Connect-style keys onto this).
 * @module
 */
import { defineSchema, type Secret, type Values } from '../../config/index.ts';

/** SASL settings for a plain Kafka cluster (the Event Hubs preset fills these from the connection string). */
export interface SaslSettings {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: Secret;
}

/** Settings of one kafka source. */
export interface KafkaSourceConfig {
  /** Topics (event hubs) to consume. */
  readonly topics: readonly string[];
  /** Consumer group; Event Hubs groups span the namespace, so names must be unique. */
  readonly groupId: string;
  readonly clientId: string;
  /** Explicit `host:port` list; overrides the broker derived from the connection string. */
  readonly brokers: readonly string[];
  /** Event Hubs namespace connection string; turns on the Event Hubs preset. */
  readonly connectionString: Secret | undefined;
  readonly sasl: SaslSettings | undefined;
  /** Entra ID (OAUTHBEARER) against an Event Hubs namespace instead of a connection string. */
  readonly oauth: { readonly namespace: string; readonly clientId: string | undefined } | undefined;
  /** TLS to the brokers; always on with the Event Hubs preset. */
  readonly ssl: boolean;
  /** PEM file of extra CAs to trust. */
  readonly caFile: string | undefined;
  /** Where to start when the group has no committed offset (or it is out of range). */
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxBytes: number;
  readonly maxWaitTimeMs: number;
}

/** Connector keys of the kafka source. */
export const kafkaSourceSchema = defineSchema({
  topics: { type: 'list', required: true, doc: 'Topics (event hubs) to consume, comma-separated.' },
  'eventhubs.connection.string': {
    type: 'string',
    sensitive: true,
    destination: { kind: 'connection-string' },
    doc:
      'Event Hubs namespace (or event hub) SAS connection string. Turns on the Event Hubs preset: broker ' +
      '<namespace>.servicebus.windows.net:9093, TLS, SASL PLAIN with user $ConnectionString, Microsoft timeouts.',
  },
  'eventhubs.namespace': {
    type: 'string',
    destination: { kind: 'host' },
    doc:
      'Namespace FQDN (acme.servicebus.windows.net) for Entra ID sign-in (kafka.sasl.mechanism=oauthbearer) ' +
      'instead of a connection string: DefaultAzureCredential (workload identity, managed identity, environment).',
  },
  'eventhubs.oauth.client.id': {
    type: 'string',
    doc: 'Client id of a user-assigned managed identity for Entra ID sign-in.',
  },
  'kafka.bootstrap.servers': {
    type: 'list',
    destination: { kind: 'host-port' },
    default: [],
    doc: 'host:port list. Overrides the broker derived from the connection string (emulators, private links).',
  },
  'kafka.group.id': { type: 'string', doc: 'Consumer group. Default logbridge-<connector name>.' },
  'kafka.client.id': {
    type: 'string',
    doc: 'Client id sent to the brokers. Default logbridge-<connector name>.',
  },
  'kafka.auto.offset.reset': {
    type: 'enum',
    values: ['earliest', 'latest'],
    default: 'earliest',
    doc: 'Where a group with no committed offset starts. earliest: a log bridge must not skip silently.',
  },
  'kafka.security.protocol': {
    type: 'enum',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    default: 'PLAINTEXT',
    doc: 'Transport without the Event Hubs preset (the preset always uses SASL_SSL).',
  },
  'kafka.sasl.mechanism': {
    type: 'enum',
    values: ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'],
    default: 'plain',
    doc: 'SASL mechanism with SASL_* protocols; oauthbearer signs in to Event Hubs with Entra ID.',
  },
  'kafka.sasl.username': { type: 'string', doc: 'SASL user name.' },
  'kafka.sasl.password': { type: 'string', sensitive: true, doc: 'SASL password.' },
  'kafka.ssl.ca.location': {
    type: 'string',
    file: true,
    doc: 'PEM file of CA certificates to trust, besides the system ones.',
  },
  'kafka.session.timeout.ms': {
    type: 'int',
    min: 6000,
    max: 300000,
    default: 30000,
    doc: 'Group session timeout.',
  },
  'kafka.heartbeat.interval.ms': { type: 'int', min: 100, default: 3000, doc: 'Heartbeat interval.' },
  'kafka.rebalance.timeout.ms': {
    type: 'int',
    min: 1000,
    default: 60000,
    doc: 'Time members get to rejoin.',
  },
  'kafka.request.timeout.ms': { type: 'int', min: 1000, default: 60000, doc: 'Request timeout.' },
  'kafka.connection.timeout.ms': { type: 'int', min: 100, default: 10000, doc: 'TCP + TLS connect timeout.' },
  'kafka.metadata.max.age.ms': { type: 'int', min: 1000, default: 180000, doc: 'Metadata refresh period.' },
  'kafka.max.partition.fetch.bytes': {
    type: 'int',
    min: 1024,
    // 2 MiB: a process that owns 2 partitions (workers=2, 4 partitions) fills kafka.fetch.max.bytes as one owning 4
    // does; at 1 MiB its main thread waited on fetches 32 % of the time (bench/e2e.ts min: 30.0k vs 38.1k events/s).
    default: 2097152,
    doc:
      'Bytes fetched per partition per request, at most kafka.fetch.max.bytes in all (keep >= 1 MiB: an event hub ' +
      'event can be 1 MB).',
  },
  'kafka.fetch.max.bytes': {
    type: 'int',
    min: 1024,
    default: 4194304,
    doc: 'Bytes per fetch request (all partitions of a broker); the whole response is held while it is processed.',
  },
  'kafka.fetch.max.wait.ms': { type: 'int', min: 0, default: 500, doc: 'How long a fetch waits for data.' },
});

/** Builds the source settings from parsed options; `name` is the connector's. */
export function kafkaSourceConfigFrom(
  values: Values<typeof kafkaSourceSchema>,
  name: string,
): KafkaSourceConfig {
  const protocol = values['kafka.security.protocol'];
  const username = values['kafka.sasl.username'];
  const password = values['kafka.sasl.password'];
  const mechanism = values['kafka.sasl.mechanism'];
  const namespace = values['eventhubs.namespace'];
  const useSasl =
    protocol.startsWith('SASL_') &&
    mechanism !== 'oauthbearer' &&
    username !== undefined &&
    password !== undefined;
  const oauth =
    mechanism === 'oauthbearer' && namespace !== undefined
      ? { namespace, clientId: values['eventhubs.oauth.client.id'] }
      : undefined;
  return {
    topics: values.topics,
    groupId: values['kafka.group.id'] ?? `logbridge-${name}`,
    clientId: values['kafka.client.id'] ?? `logbridge-${name}`,
    brokers: values['kafka.bootstrap.servers'],
    connectionString: values['eventhubs.connection.string'],
    sasl: useSasl ? { mechanism: mechanism as SaslSettings['mechanism'], username, password } : undefined,
    oauth,
    ssl: protocol === 'SSL' || protocol === 'SASL_SSL',
    caFile: values['kafka.ssl.ca.location'],
    autoOffsetReset: values['kafka.auto.offset.reset'] as 'earliest' | 'latest',
    sessionTimeoutMs: values['kafka.session.timeout.ms'],
    heartbeatIntervalMs: values['kafka.heartbeat.interval.ms'],
    rebalanceTimeoutMs: values['kafka.rebalance.timeout.ms'],
    requestTimeoutMs: values['kafka.request.timeout.ms'],
    connectionTimeoutMs: values['kafka.connection.timeout.ms'],
    metadataMaxAgeMs: values['kafka.metadata.max.age.ms'],
    maxBytesPerPartition: values['kafka.max.partition.fetch.bytes'],
    maxBytes: values['kafka.fetch.max.bytes'],
    maxWaitTimeMs: values['kafka.fetch.max.wait.ms'],
  };
}
