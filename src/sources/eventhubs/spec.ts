/**
 * The eventhubs source type: validation of its keys (no side effects, no SDK loaded) and construction.
 * @module
 */
import type { Logger } from 'pino';
import {
  type ConfigIssue,
  defineSchema,
  hostsOf,
  parseOptions,
  type Secret,
  type Values,
} from '../../config/index.ts';
import type { DeadLetterQueue, Source } from '../../engine/index.ts';
import { createCheckpointStore } from './checkpoint-store.ts';
import { createConsumer, createProducer } from './client.ts';
import {
  type EventHubsSourceConfig,
  eventHubsSourceConfigFrom,
  eventHubsSourceSchema,
  timeOf,
} from './config.ts';
import { EventHubsDeadLetterQueue, type EventHubsDeadLetterSettings } from './dead-letter.ts';
import { EventHubsSource } from './source.ts';

/** The keys both sources read, with this source's meaning (the kafka source documents them). */
export const eventHubsSharedSchema = defineSchema({
  topics: { type: 'list', required: true, doc: 'The event hub to read (one).' },
  'eventhubs.connection.string': {
    type: 'string',
    sensitive: true,
    destination: { kind: 'connection-string' },
    doc: 'Namespace or event hub connection string.',
  },
  'eventhubs.namespace': {
    type: 'string',
    destination: { kind: 'host' },
    doc: 'Namespace FQDN for Entra ID.',
  },
  'eventhubs.oauth.client.id': { type: 'string', doc: 'User-assigned managed identity client id.' },
});

/** Every key a connector with `source.type=eventhubs` may set for its source. */
export const eventHubsSourceKeys = { ...eventHubsSharedSchema, ...eventHubsSourceSchema };

/** Validates the eventhubs source's keys of a connector. */
export function validateEventHubsSource(
  properties: Readonly<Record<string, unknown>>,
  name: string,
  path: string,
): { config?: EventHubsSourceConfig; issues: ConfigIssue[] } {
  const own = parseOptions(eventHubsSourceSchema, properties, path);
  const shared = parseOptions(eventHubsSharedSchema, properties, path);
  const issues = [
    ...shared.issues,
    ...own.issues,
    ...sharedIssues(shared.values, path),
    ...storeIssues(own.values, path),
    ...startIssues(own.values, path),
  ];
  const topics = shared.values.topics;
  const connectionString = shared.values['eventhubs.connection.string'];
  const namespace = shared.values['eventhubs.namespace'];
  const [eventHub] = topics;
  if (issues.length > 0 || eventHub === undefined) return { issues };
  const config = eventHubsSourceConfigFrom(
    own.values,
    { eventHub, connectionString, namespace, clientId: shared.values['eventhubs.oauth.client.id'] },
    name,
  );
  return { config, issues };
}

function sharedIssues(values: Values<typeof eventHubsSharedSchema>, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const connectionString = values['eventhubs.connection.string'];
  if (values.topics.length !== 1) {
    issues.push({
      path: `${path}.topics`,
      message: 'names exactly one event hub with source.type=eventhubs',
    });
  }
  if (connectionString === undefined && values['eventhubs.namespace'] === undefined) {
    issues.push({
      path: `${path}.eventhubs.connection.string`,
      message: 'is required with source.type=eventhubs (or eventhubs.namespace for Entra ID)',
    });
  } else if (
    connectionString !== undefined &&
    !/(^|;)\s*Endpoint\s*=\s*sb:\/\//i.test(connectionString.reveal())
  ) {
    issues.push({
      path: `${path}.eventhubs.connection.string`,
      message: 'has no Endpoint=sb://<namespace>/',
    });
  }
  return issues;
}

function startIssues(values: Values<typeof eventHubsSourceSchema>, path: string): ConfigIssue[] {
  const start = values['eventhubs.start.enqueued.time'];
  if (start === undefined || timeOf(start) !== undefined) return [];
  return [
    {
      path: `${path}.eventhubs.start.enqueued.time`,
      message: `must be an ISO 8601 time such as 2026-03-01T00:00:00Z, got ${JSON.stringify(start)}`,
    },
  ];
}

function storeIssues(values: Values<typeof eventHubsSourceSchema>, path: string): ConfigIssue[] {
  if (values['eventhubs.checkpoint.store'] === 'file') {
    return values['eventhubs.checkpoint.file.path'] === undefined
      ? [
          {
            path: `${path}.eventhubs.checkpoint.file.path`,
            message: 'is required with eventhubs.checkpoint.store=file',
          },
        ]
      : [];
  }
  const missing = [
    'eventhubs.checkpoint.blob.connection.string',
    'eventhubs.checkpoint.blob.container',
  ] as const;
  const issues = missing
    .filter((key) => values[key] === undefined)
    .map((key) => ({
      path: `${path}.${key}`,
      message: 'is required with eventhubs.checkpoint.store=blob (or set eventhubs.checkpoint.store=file)',
    }));
  const storage = values['eventhubs.checkpoint.blob.connection.string'];
  if (storage !== undefined && !namesBlobService(storage)) {
    issues.push({
      path: `${path}.eventhubs.checkpoint.blob.connection.string`,
      message:
        "names no Blob service: give the storage account's connection string (AccountName=…;AccountKey=…, or " +
        "BlobEndpoint=…), from the portal's Access keys",
    });
  }
  return issues;
}

/** The connection string names a Blob service (the host the checkpoints go to). */
function namesBlobService(connectionString: Secret): boolean {
  return hostsOf({ kind: 'storage-connection-string' }, connectionString.reveal()).length > 0;
}

/** Builds the source and, if configured, the dead-letter writer; nothing connects (or loads the SDK) until start. */
export function createEventHubsSource(
  config: EventHubsSourceConfig,
  deadLetters: EventHubsDeadLetterSettings | undefined,
  logger: Logger,
): { source: Source; deadLetters: DeadLetterQueue | undefined } {
  const source = new EventHubsSource(
    config,
    {
      store: () => createCheckpointStore(config.checkpointStore, config.namespace),
      consumer: (store) => createConsumer(config, store),
    },
    logger.child({ component: 'eventhubs-source' }),
  );
  const dlq =
    deadLetters === undefined
      ? undefined
      : new EventHubsDeadLetterQueue(deadLetters, () => createProducer(config, deadLetters.topic));
  return { source, deadLetters: dlq };
}
