import { describe, expect, it } from 'vitest';
import { validateConnector } from '../../../src/worker/index.ts';

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
    expect(issues).toEqual([{ path: 'config.sinks', message: 'unknown sink "kinesis"; known: splunk-hec, solace, mqtt' }]);
  });
});
