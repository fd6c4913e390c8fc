import { describe, expect, it } from 'vitest';
import { SampleError, samplesFromList, samplesFromText } from '../../../src/preview/index.ts';
import { previewConnector, validateConnector } from '../../../src/worker/index.ts';
import { samplesOfRequest } from '../../../src/worker/preview.ts';

const defaults = { topic: 'logs', timestampMs: Date.UTC(2024, 0, 1) };

function connector(
  extra: Record<string, string>,
): NonNullable<ReturnType<typeof validateConnector>['connector']> {
  const { connector: valid, issues } = validateConnector({
    name: 'preview-test',
    config: {
      topics: 'logs',
      'kafka.bootstrap.servers': '127.0.0.1:9',
      sinks: 'splunk-hec,mqtt',
      'splunk.hec.uri': 'http://127.0.0.1:9',
      'splunk.hec.token': 'secret-token-never-shown',
      'mqtt.url': 'mqtt://127.0.0.1:9',
      'mqtt.topic': 'acme/${app:-none}',
      ...extra,
    },
  });
  if (valid === undefined) throw new Error(JSON.stringify(issues));
  return valid;
}

describe('samples', () => {
  it('takes a line as the value, or a record object with metadata', () => {
    const [plain, record] = samplesFromText(
      'just text\n{"value": {"a": 1}, "key": "k", "headers": {"h": "v"}, "timestamp": "2024-01-02T00:00:00Z", "partition": 3}\n',
      defaults,
    );
    expect(plain?.value?.toString()).toBe('just text');
    expect(plain?.position).toEqual({ topic: 'logs', partition: 0, offset: 0n });
    expect(record?.value?.toString()).toBe('{"a":1}');
    expect(record?.key?.toString()).toBe('k');
    expect(record?.headers.h?.toString()).toBe('v');
    expect(record?.timestampMs).toBe(Date.UTC(2024, 0, 2));
    expect(record?.position).toEqual({ topic: 'logs', partition: 3, offset: 1n });
  });

  it('keeps a JSON object that is not a record wrapper as the value', () => {
    const [record] = samplesFromText('{"log": "x", "stream": "stdout"}', defaults);
    expect(record?.value?.toString()).toBe('{"log": "x", "stream": "stdout"}');
  });

  it('reads a JSON array file and refuses malformed samples with their place', () => {
    expect(samplesFromText('["a", {"value": "b"}]', defaults).map((r) => r.value?.toString())).toEqual([
      'a',
      'b',
    ]);
    expect(() => samplesFromList([42], defaults)).toThrow(SampleError);
    expect(() => samplesFromList([{ value: 'x', timestamp: 'yesterday' }], defaults)).toThrow(
      /sample 0: timestamp/,
    );
  });
});

describe('preview', () => {
  it('shows the HEC envelope and the MQTT topic, and never the token', async () => {
    const valid = connector({
      transforms: 'route',
      'transforms.route.type': 'route',
      'transforms.route.index': 'main',
    });
    const report = await previewConnector(
      valid,
      samplesFromList([{ value: '{"app": "shop", "msg": "hi"}' }], defaults),
    );
    const [output] = report.records[0]?.outputs ?? [];
    expect(output?.sinks).toEqual([
      {
        sink: 'splunk-hec',
        endpoint: '/services/collector/event',
        envelope: {
          time: 1704067200,
          index: 'main',
          event: { app: 'shop', msg: 'hi' },
          fields: { kafka_topic: 'logs', kafka_partition: '0', kafka_offset: '0' },
        },
      },
      {
        sink: 'mqtt',
        topic: 'acme/shop',
        content_type: 'application/json',
        properties: { k_topic: 'logs', k_partition: 0, k_offset: '0' },
        payload: '{"app":"shop","msg":"hi"}',
      },
    ]);
    expect(JSON.stringify(report)).not.toContain('secret-token-never-shown');
    expect(report.summary).toEqual({
      records: 1,
      events: { 'splunk-hec': 1, mqtt: 1 },
      dropped: 0,
      dead_lettered: 0,
    });
  });

  it('reports a sink refusal at TASK_PUT, and what errors.tolerance=none would do', async () => {
    const valid = connector({ 'splunk.hec.max.event.bytes': '1024' });
    const report = await previewConnector(valid, samplesFromList(['x'.repeat(2000), 'small'], defaults));
    expect(report.records[0]?.outputs[0]?.sinks[0]).toMatchObject({
      sink: 'splunk-hec',
      rejected: { code: 'LB_HEC_EVENT_TOO_LARGE' },
    });
    expect(report.dead_letters).toHaveLength(1);
    expect(report.dead_letters[0]).toMatchObject({
      record: 'logs/0@0',
      stage: 'TASK_PUT',
      component: 'splunk-hec',
    });
    expect(report.dead_letters[0]?.outcome).toMatch(/FAIL \(errors\.tolerance=none\)/);
    expect(report.summary.events).toEqual({ 'splunk-hec': 1, mqtt: 2 });
  });

  it('takes the samples of a REST body as text: a reference in them reads no file and no variable', async () => {
    process.env.PREVIEW_TEST_SECRET = 'env-value-never-shown';
    try {
      const valid = connector({ 'record.format': 'json' });
      const samples = await samplesOfRequest(valid, {
        records: [
          '{"log": "${env:PREVIEW_TEST_SECRET}", "host": "${file:/etc/hostname}"}',
          { value: { log: '${env:PREVIEW_TEST_SECRET}' }, headers: { h: '${file:/etc/passwd}' } },
        ],
      });
      const report = await previewConnector(valid, samples);
      const text = JSON.stringify(report);
      expect(text).not.toContain('env-value-never-shown');
      expect(text).not.toContain('root:');
      expect(report.records[0]?.outputs[0]?.sinks[0]).toHaveProperty('envelope.event', {
        log: '${env:PREVIEW_TEST_SECRET}',
        host: '${file:/etc/hostname}',
      });
      expect(report.records[0]?.outputs[0]?.sinks[0]).toMatchObject({ sink: 'splunk-hec' });
      expect(report.records[1]?.record.headers).toEqual({ h: '${file:/etc/passwd}' });
    } finally {
      delete process.env.PREVIEW_TEST_SECRET;
    }
  });

  it('counts what a filter drops and names the transform that refused a record', async () => {
    const valid = connector({
      transforms: 'keep',
      'transforms.keep.type': 'filter',
      'transforms.keep.exclude.level': '^debug$',
      'record.format': 'json',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
    });
    const report = await previewConnector(
      valid,
      samplesFromList(['{"level": "debug"}', '{"level": "info"}', 'not json'], defaults),
    );
    expect(report.records[0]?.steps).toEqual([{ transform: 'keep', in: 1, out: [], dropped: 1, held: 0 }]);
    expect(report.records[1]?.outputs).toHaveLength(1);
    expect(report.dead_letters).toEqual([
      expect.objectContaining({
        record: 'logs/0@2',
        stage: 'VALUE_CONVERTER',
        code: 'LB_INVALID_JSON',
        outcome: 'dead-lettered to dlq',
      }),
    ]);
    expect(report.summary).toMatchObject({ dropped: 1, dead_lettered: 1 });
  });
});
