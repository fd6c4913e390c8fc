/**
 * The eventhubs source's keys: validation (one event hub, a connection string or namespace, a store that names
 * where it writes, an ISO start time), the defaults a log bridge needs, and the bounds of a connector created over
 * REST (file options under the allowed paths, the Blob service and namespace among the allowed hosts).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ConfigIssue, loadWorkerConfig, Secret } from '../../../../src/config/index.ts';
import { validateEventHubsSource } from '../../../../src/sources/eventhubs/index.ts';
import { MemoryConfigStore, validateConnector, Worker } from '../../../../src/worker/index.ts';

const KEY = 'c2VjcmV0LWtleS1kby1ub3QtbGVhaw==';
const CS = `Endpoint=sb://acme-logs.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${KEY}`;
const STORAGE_KEY = 'c3RvcmFnZS1rZXktbXVzdC1ub3QtbGVhaw==';
const STORAGE = `DefaultEndpointsProtocol=https;AccountName=acmeckpt;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`;

const blob = {
  topics: 'aks-logs',
  'eventhubs.connection.string': CS,
  'eventhubs.checkpoint.blob.connection.string': STORAGE,
  'eventhubs.checkpoint.blob.container': 'checkpoints',
};

function messages(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.path}: ${i.message}`);
}

describe('validateEventHubsSource', () => {
  it('defaults to logbridge-<name>, the log start, the Blob store, and keeps the secrets hidden', () => {
    const { config, issues } = validateEventHubsSource(blob, 'aks', 'config');
    expect(issues).toEqual([]);
    expect(config).toMatchObject({
      eventHub: 'aks-logs',
      topics: ['aks-logs'],
      groupId: 'logbridge-aks',
      namespace: 'acme-logs.servicebus.windows.net',
      autoOffsetReset: 'earliest',
      startEnqueuedTime: undefined,
      maxBatchSize: 500,
      loadBalancing: { strategy: 'balanced', updateIntervalMs: 10_000, ownershipExpiryMs: 60_000 },
      checkpointStore: { kind: 'blob', container: 'checkpoints' },
    });
    expect(config?.connectionString).toBeInstanceOf(Secret);
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(JSON.stringify(config)).not.toContain(STORAGE_KEY);
  });

  it('takes a consumer group, an enqueued time to start at, and a local file store', () => {
    const { config, issues } = validateEventHubsSource(
      {
        topics: 'aks-logs',
        'eventhubs.connection.string': CS,
        'eventhubs.consumer.group': 'splunk-addon',
        'eventhubs.start.enqueued.time': '2026-03-01T08:00:00Z',
        'eventhubs.checkpoint.store': 'file',
        'eventhubs.checkpoint.file.path': '/var/lib/logbridge/aks.json',
      },
      'aks',
      'config',
    );
    expect(issues).toEqual([]);
    expect(config?.groupId).toBe('splunk-addon');
    expect(config?.startEnqueuedTime?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(config?.checkpointStore).toEqual({ kind: 'file', path: '/var/lib/logbridge/aks.json' });
  });

  it('reports every problem with its key, never quoting a secret', () => {
    const { config, issues } = validateEventHubsSource(
      {
        topics: 'a,b',
        'eventhubs.connection.string': `SharedAccessKeyName=listen;SharedAccessKey=${KEY}`,
        'eventhubs.checkpoint.blob.connection.string': `AccountKey=${STORAGE_KEY}`,
        'eventhubs.start.enqueued.time': 'yesterday',
      },
      'aks',
      'config',
    );
    expect(config).toBeUndefined();
    expect(messages(issues)).toEqual([
      'config.topics: names exactly one event hub with source.type=eventhubs',
      'config.eventhubs.connection.string: has no Endpoint=sb://<namespace>/',
      'config.eventhubs.checkpoint.blob.container: is required with eventhubs.checkpoint.store=blob (or set eventhubs.checkpoint.store=file)',
      "config.eventhubs.checkpoint.blob.connection.string: names no Blob service: give the storage account's connection string (AccountName=…;AccountKey=…, or BlobEndpoint=…), from the portal's Access keys",
      'config.eventhubs.start.enqueued.time: must be an ISO 8601 time such as 2026-03-01T00:00:00Z, got "yesterday"',
    ]);
    expect(JSON.stringify(issues)).not.toContain(KEY);
    expect(JSON.stringify(issues)).not.toContain(STORAGE_KEY);
  });

  it('needs a connection string or a namespace, and a file path for the file store', () => {
    const { issues } = validateEventHubsSource(
      { topics: 'aks-logs', 'eventhubs.checkpoint.store': 'file' },
      'aks',
      'config',
    );
    expect(messages(issues)).toEqual([
      'config.eventhubs.connection.string: is required with source.type=eventhubs (or eventhubs.namespace for Entra ID)',
      'config.eventhubs.checkpoint.file.path: is required with eventhubs.checkpoint.store=file',
    ]);
    const entra = validateEventHubsSource(
      {
        ...blob,
        'eventhubs.connection.string': '',
        'eventhubs.namespace': 'acme-logs.servicebus.windows.net',
      },
      'aks',
      'config',
    );
    expect(entra.issues).toEqual([]);
    expect(entra.config?.oauth).toEqual({
      namespace: 'acme-logs.servicebus.windows.net',
      clientId: undefined,
    });
  });
});

describe('a connector with source.type=eventhubs', () => {
  const hec = { 'splunk.hec.uri': 'https://hec.internal:8088', 'splunk.hec.token': 'token' };

  it('validates as a whole, and names the keys that belong to the kafka source', () => {
    const valid = validateConnector({ name: 'aks', config: { 'source.type': 'eventhubs', ...blob, ...hec } });
    expect(valid.issues).toEqual([]);
    expect(valid.connector?.sourceType).toBe('eventhubs');
    const mixed = validateConnector({
      name: 'aks',
      config: {
        'source.type': 'eventhubs',
        ...blob,
        ...hec,
        'kafka.group.id': 'g',
        'eventhubs.max.batch': '5',
      },
    });
    expect(messages(mixed.issues)).toEqual([
      'config.kafka.group.id: applies to source.type=kafka (the default) only',
      'config.eventhubs.max.batch: is not a known key; did you mean "eventhubs.max.batch.size"?',
    ]);
  });

  it('is bounded when an API caller creates it: files under the allowed paths, hosts among the allowed ones', () => {
    const worker = new Worker(
      loadWorkerConfig(undefined, {
        LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: '/var/lib/logbridge',
        LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS:
          '*.servicebus.windows.net,hec.internal,acmeckpt.blob.core.windows.net',
      }),
      pino({ level: 'silent' }),
      { store: new MemoryConfigStore([]) },
    );
    const config = { 'source.type': 'eventhubs', ...blob, ...hec };
    expect(worker.validate(config)).toEqual([]);
    const issues = worker.validate({
      ...config,
      'eventhubs.checkpoint.blob.connection.string': `AccountName=evil;AccountKey=${STORAGE_KEY}`,
      'eventhubs.endpoint.address': 'amqps://attacker.example:5671',
      'eventhubs.ssl.ca.location': '/etc/passwd',
      'eventhubs.checkpoint.store': 'file',
      'eventhubs.checkpoint.file.path': '/etc/cron.d/logbridge',
    });
    expect(messages(issues)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^config\.eventhubs\.checkpoint\.blob\.connection\.string: sends to evil\.blob\.core\.windows\.net, which/,
        ),
        expect.stringMatching(
          /^config\.eventhubs\.endpoint\.address: sends to attacker\.example, which is not/,
        ),
        expect.stringMatching(
          /^config\.eventhubs\.ssl\.ca\.location: "\/etc\/passwd" is outside the directories/,
        ),
        expect.stringMatching(
          /^config\.eventhubs\.checkpoint\.file\.path: "\/etc\/cron\.d\/logbridge" is outside/,
        ),
      ]),
    );
    expect(issues).toHaveLength(4);
    expect(JSON.stringify(issues)).not.toContain(STORAGE_KEY);
  });
});
