import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../../src/engine/index.ts';
import { createEncoder, epochMs } from '../../../../src/sinks/splunk-hec/encoder.ts';
import { record } from '../../engine/records.ts';
import { hecConfig } from './config-helper.ts';

const event = (overrides: Partial<LogEvent> = {}): LogEvent => ({
  record: record('logs', 3, 42),
  body: { log: 'hello é' },
  timeMs: 1_700_000_000_123,
  meta: {},
  ...overrides,
});

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe('HEC /event encoder', () => {
  it('writes one newline-terminated envelope: time in s with ms, metadata, Kafka coordinates as indexed fields', () => {
    const encode = createEncoder(
      hecConfig({ 'splunk.indexes': 'k8s', 'splunk.sourcetypes': 'kube:container' }),
    );
    const { payload, bytes } = encode(event({ meta: { host: 'node-1' } }));
    expect(payload.text.endsWith('}\n')).toBe(true);
    expect(payload.query).toBe('');
    expect(bytes).toBe(Buffer.byteLength(payload.text));
    expect(json(payload.text)).toEqual({
      time: 1_700_000_000.123,
      host: 'node-1',
      sourcetype: 'kube:container',
      index: 'k8s',
      event: { log: 'hello é' },
      fields: { kafka_topic: 'logs', kafka_partition: '3', kafka_offset: '42' },
    });
  });

  it('takes metadata from the route, then Kafka headers (splunk.header.support), then the topic defaults', () => {
    const encode = createEncoder(
      hecConfig({
        'splunk.indexes': 'k8s',
        'splunk.sources': 'default-src',
        'splunk.header.support': 'true',
      }),
    );
    const withHeaders = {
      ...record('logs', 0, 1),
      headers: {
        'splunk.header.source': Buffer.from('from-header'),
        'splunk.header.index': Buffer.from('hdr'),
      },
    };
    const envelope = json(encode(event({ record: withHeaders, meta: { index: 'audit' } })).payload.text);
    expect(envelope).toMatchObject({ index: 'audit', source: 'from-header' });
    expect(json(encode(event()).payload.text)).toMatchObject({ index: 'k8s', source: 'default-src' });
  });

  it('ignores metadata headers unless splunk.header.support is on', () => {
    const encode = createEncoder(hecConfig({ 'splunk.indexes': 'k8s' }));
    const withHeaders = { ...record('logs', 0, 1), headers: { 'splunk.header.index': Buffer.from('hdr') } };
    expect(json(encode(event({ record: withHeaders })).payload.text).index).toBe('k8s');
  });

  it('reads time from splunk.hec.time.field, falling back to the event time', () => {
    const encode = createEncoder(hecConfig({ 'splunk.hec.time.field': 'meta.ts' }));
    const at = (ts: unknown) =>
      json(encode(event({ body: { meta: { ts } } as LogEvent['body'] })).payload.text).time;
    expect(at(1_700_000_005)).toBe(1_700_000_005);
    expect(at(1_700_000_005_250)).toBe(1_700_000_005.25);
    expect(at('2024-05-01T10:00:00.5Z')).toBe(Date.parse('2024-05-01T10:00:00.5Z') / 1000);
    expect(at('not a time')).toBe(1_700_000_000.123);
  });

  it('asks Splunk to extract the time with splunk.hec.auto.extract.timestamp', () => {
    const { payload } = createEncoder(hecConfig({ 'splunk.hec.auto.extract.timestamp': 'true' }))(event());
    expect(payload.query).toBe('auto_extract_timestamp=true');
  });

  it('leaves time out when splunk.hec.use.record.timestamp=false or auto extraction is on', () => {
    for (const properties of [
      { 'splunk.hec.use.record.timestamp': 'false' },
      { 'splunk.hec.auto.extract.timestamp': 'true' },
    ]) {
      expect(json(createEncoder(hecConfig(properties))(event()).payload.text)).not.toHaveProperty('time');
    }
  });

  it('adds constant and body-derived indexed fields, flat; leaves kafka_* out with track.data=false', () => {
    const encode = createEncoder(
      hecConfig({
        'splunk.hec.track.data': 'false',
        'splunk.hec.json.event.enrichment': 'cluster=prod, env=eu',
        'splunk.hec.indexed.fields': 'k8s.pod,tags,k8s.labels',
      }),
    );
    const body = { msg: 'x', tags: ['a', 1], k8s: { pod: 'p-1', labels: { app: 'web' } } };
    expect(json(encode(event({ body })).payload.text).fields).toEqual({
      cluster: 'prod',
      env: 'eu',
      'k8s.pod': 'p-1',
      tags: ['a', '1'],
      'k8s.labels': '{"app":"web"}',
    });
    expect(
      json(createEncoder(hecConfig({ 'splunk.hec.track.data': 'false' }))(event()).payload.text),
    ).not.toHaveProperty('fields');
  });

  it('writes a body as read (bodyAsRead) in place of serializing it: the same envelope, big numbers intact', () => {
    const body = { log: 'hello é', level: 'info', kubernetes: { pod_name: 'p-1' } };
    for (const properties of [
      { 'splunk.indexes': 'k8s', 'splunk.sourcetypes': 'kube:container' },
      { 'splunk.hec.use.record.timestamp': 'false' },
      { 'splunk.hec.use.record.timestamp': 'false', 'splunk.hec.track.data': 'false' },
      { 'splunk.hec.json.event.enrichment': 'env=eu', 'splunk.hec.indexed.fields': 'kubernetes.pod_name' },
    ]) {
      const encode = createEncoder(hecConfig(properties));
      const serialized = encode(event({ body, meta: { host: 'node-1' } }));
      const asRead = { ...record('logs', 3, 42, JSON.stringify(body)), timestampMs: 1_700_000_000_123 };
      const kept = encode(event({ body, record: asRead, bodyAsRead: true, meta: { host: 'node-1' } }));
      expect(kept, JSON.stringify(properties)).toEqual(serialized);
    }
    // The body of such an event is parsed when read: the default settings write the value without reading it.
    let reads = 0;
    const lazy = {
      ...event({ record: record('logs', 3, 42, '{"log":"x"}'), bodyAsRead: true }),
      get body() {
        reads += 1;
        return { log: 'x' };
      },
    };
    for (const raw of ['false', 'true'])
      expect(createEncoder(hecConfig({ 'splunk.hec.raw': raw }))(lazy).payload.text).toContain('{"log":"x"}');
    expect(reads).toBe(0);
    const text = '{"trace":12345678901234567890123,"log":"x"}';
    const kept = createEncoder(hecConfig({}))(
      event({
        body: JSON.parse(text) as LogEvent['body'],
        record: record('logs', 3, 42, text),
        bodyAsRead: true,
      }),
    );
    expect(kept.payload.text).toContain('"event":{"trace":12345678901234567890123,"log":"x"},"fields":');
    expect(kept.bytes).toBe(Buffer.byteLength(kept.payload.text));
  });

  it('refuses blank events (HEC code 13) and events over the maximum size before sending', () => {
    const encode = createEncoder(hecConfig({ 'splunk.hec.max.event.bytes': '1024' }));
    expect(() => encode(event({ body: {} }))).toThrow(
      expect.objectContaining({ code: 'LB_HEC_INVALID_EVENT', disposition: 'reject' }),
    );
    for (const text of ['{}', '{ \t }']) {
      const blank = { body: {}, record: record('logs', 0, 1, text), bodyAsRead: true };
      expect(() => encode(event(blank)), text).toThrow(
        expect.objectContaining({ code: 'LB_HEC_INVALID_EVENT' }),
      );
    }
    expect(() => encode(event({ body: '' }))).toThrow(
      expect.objectContaining({ code: 'LB_HEC_INVALID_EVENT' }),
    );
    expect(() => encode(event({ body: 'x'.repeat(2000) }))).toThrow(
      expect.objectContaining({ code: 'LB_HEC_EVENT_TOO_LARGE', disposition: 'reject' }),
    );
  });
});

describe('HEC /raw encoder', () => {
  it('writes the text with the line breaker and the metadata as a query string', () => {
    const encode = createEncoder(
      hecConfig({ 'splunk.hec.raw': 'true', 'splunk.indexes': 'k8s', 'splunk.hec.host': 'h 1' }),
    );
    const { payload } = encode(event({ body: 'line one', meta: { source: 'a/b' } }));
    expect([payload.text, payload.query]).toEqual(['line one\n', 'host=h%201&source=a%2Fb&index=k8s']);
    expect(encode(event()).payload.text).toBe('{"log":"hello é"}\n');
  });

  it('unescapes the configured line breaker', () => {
    const encode = createEncoder(
      hecConfig({ 'splunk.hec.raw': 'true', 'splunk.hec.raw.line.breaker': '\\r\\n####' }),
    );
    expect(encode(event({ body: 'x' })).payload.text).toBe('x\r\n####');
  });
});

describe('epochMs', () => {
  it.each([
    [1_700_000_000, 1_700_000_000_000],
    [1_700_000_000.5, 1_700_000_000_500],
    [1_700_000_000_123, 1_700_000_000_123],
    [1_700_000_000_123_456, 1_700_000_000_123.456],
    ['1700000000123456789', 1_700_000_000_123.4568],
    ['1700000000', 1_700_000_000_000],
    ['2023-11-14T22:13:20Z', 1_700_000_000_000],
  ])('%s → %s', (input, expected) => {
    expect(epochMs(input)).toBeCloseTo(expected, 0);
  });

  it.each([null, true, 'soon', -5, 0])('%s is no time', (input) => {
    expect(epochMs(input)).toBeUndefined();
  });
});
