import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEngineMetrics } from '../../../src/engine/index.ts';
import { buildConnector, type ValidConnector, validateConnector } from '../../../src/worker/index.ts';
import { record } from '../engine/records.ts';

const valid = {
  topics: 'logs',
  'eventhubs.connection.string':
    'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=l;SharedAccessKey=k',
  'splunk.hec.uri': 'https://splunk:8088',
  'splunk.hec.token': 'abc',
};

describe('validateConnector', () => {
  it('accepts a minimal Event Hubs → HEC connector with defaults', () => {
    const { connector, issues } = validateConnector({ name: 'lab', config: valid });
    expect(issues).toEqual([]);
    expect(connector?.source.groupId).toBe('logbridge-lab');
    expect(connector?.source.autoOffsetReset).toBe('earliest');
    expect(connector?.common['errors.tolerance']).toBe('none');
  });

  it('reports every error with its path, and suggests keys for typos', () => {
    const { issues } = validateConnector({
      name: 'lab',
      config: {
        'eventhubs.connection.string': 'nonsense',
        'splunk.hec.uri': 'splunk:8088',
        'splunk.hec.tokne': 'abc',
        'errors.tolerance': 'all',
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'config.topics',
      'config.eventhubs.connection.string',
      'config.splunk.hec.token',
      'config.splunk.hec.uri',
      'config.splunk.hec.tokne',
      'config.errors.deadletterqueue.topic.name',
    ]);
    expect(issues.find((i) => i.path === 'config.splunk.hec.tokne')?.message).toBe(
      'is not a known key; did you mean "splunk.hec.token"?',
    );
  });

  it('refuses an unknown sink type', () => {
    const { issues } = validateConnector({ name: 'lab', config: { ...valid, sinks: 'splunk-hec,kinesis' } });
    expect(issues).toEqual([
      { path: 'config.sinks', message: 'unknown sink "kinesis"; known: splunk-hec, solace, mqtt' },
    ]);
  });
});

describe('validateConnector: transforms', () => {
  const chain = {
    ...valid,
    transforms: 'cri,k8s,route',
    'transforms.cri.type': 'cri',
    'transforms.k8s.type': 'kubernetes',
    'transforms.k8s.cluster': 'aks-prod-weu',
    'transforms.route.type': 'route',
    'transforms.route.preset': 'mscs',
  };

  it('accepts a chain and builds it in order, the mscs preset taking the namespace from the connection string', () => {
    const { connector, issues } = validateConnector({ name: 'lab', config: chain });
    expect(issues).toEqual([]);
    expect(connector?.transforms.map((t) => t.context.alias)).toEqual(['cri', 'k8s', 'route']);
    const registry = new Registry();
    const parts = buildConnector(connector as ValidConnector, {
      logger: pino({ level: 'silent' }),
      registry,
      metrics: createEngineMetrics(registry),
    });
    expect(parts.transforms.map((t) => t.name)).toEqual(['cri', 'k8s', 'route']);
    expect(parts.transforms[0]?.stateful).toBeDefined();
  });

  it('lets sinks write bodies as read only when no transform can change them', () => {
    const text = '{"log":"a","n":12345678901234567890}';
    const decodedBy = (config: Record<string, string>): unknown => {
      const { connector } = validateConnector({ name: 'lab', config });
      const registry = new Registry();
      const parts = buildConnector(connector as ValidConnector, {
        logger: pino({ level: 'silent' }),
        registry,
        metrics: createEngineMetrics(registry),
      });
      const decoded = parts.decode(record('logs', 0, 1, text));
      return decoded === 'empty' ? decoded : decoded.bodyAsRead;
    };
    expect(decodedBy(valid)).toBe(true);
    expect(decodedBy(chain)).toBeUndefined();
  });

  it('reports transform problems at their key, and a mistyped transforms key as unknown', () => {
    const { issues } = validateConnector({
      name: 'lab',
      config: {
        ...chain,
        'transforms.k8s.clustr': 'x',
        'transforms.route.mscs.event.format.flags': '1',
        transfroms: 'mask',
      },
    });
    expect(issues).toEqual([
      {
        path: 'config.transforms.k8s.clustr',
        message: 'is not an option of kubernetes; did you mean "cluster"?',
      },
      {
        path: 'config.transforms.route.mscs.event.format.flags',
        message: 'bit 1 (wrap events with Event Hubs properties) is not supported; use 0, 2, 4 or 6',
      },
      { path: 'config.transfroms', message: 'is not a known key; did you mean "transforms"?' },
    ]);
  });

  it('needs mscs.namespace when the source is not an Event Hubs namespace', () => {
    const { topics, 'splunk.hec.uri': uri, 'splunk.hec.token': token } = valid;
    const { issues } = validateConnector({
      name: 'lab',
      config: {
        topics,
        'splunk.hec.uri': uri,
        'splunk.hec.token': token,
        'kafka.bootstrap.servers': 'localhost:9092',
        transforms: 'hf',
        'transforms.hf.type': 'route',
        'transforms.hf.preset': 'mscs',
      },
    });
    expect(issues.map((i) => i.path)).toEqual(['config.transforms.hf.mscs.namespace']);
  });
});
