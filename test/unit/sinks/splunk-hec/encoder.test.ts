import { describe, expect, it } from 'vitest';
import { createEncoder } from '../../../../src/sinks/splunk-hec/encoder.ts';
import type { HecSinkConfig } from '../../../../src/sinks/splunk-hec/index.ts';
import { record } from '../../engine/records.ts';

const config = (overrides: Partial<HecSinkConfig> = {}): HecSinkConfig => ({
  uris: ['http://127.0.0.1:1'],
  token: 't',
  metadataFor: (topic) => (topic === 'logs' ? { index: 'k8s', sourcetype: 'kube:container' } : {}),
  gzip: true,
  gzipLevel: 1,
  maxBatchEvents: 10,
  maxBatchBytes: 1000,
  lingerMs: 1,
  maxInFlight: 1,
  requestTimeoutMs: 1000,
  maxEventBytes: 10_000,
  tlsVerify: true,
  caFile: undefined,
  ...overrides,
});

describe('HEC encoder', () => {
  it('writes one newline-terminated envelope with time in seconds and Kafka coordinates as indexed fields', () => {
    const encode = createEncoder(config());
    const { payload, bytes } = encode({
      record: record('logs', 3, 42),
      body: { log: 'hello é' },
      timeMs: 1_700_000_000_123,
      meta: { host: 'node-1' },
    });
    expect(payload.endsWith('\n')).toBe(true);
    expect(bytes).toBe(Buffer.byteLength(payload));
    expect(JSON.parse(payload)).toEqual({
      time: 1_700_000_000.123,
      host: 'node-1',
      sourcetype: 'kube:container',
      index: 'k8s',
      event: { log: 'hello é' },
      fields: { kafka_topic: 'logs', kafka_partition: '3', kafka_offset: '42' },
    });
  });

  it('lets the route override the topic defaults', () => {
    const encode = createEncoder(config());
    const envelope = JSON.parse(
      encode({ record: record('logs', 0, 1), body: 'x', timeMs: 0, meta: { index: 'audit' } }).payload,
    ) as { index: string };
    expect(envelope.index).toBe('audit');
  });

  it('refuses an event over the maximum size so that it is dead-lettered before sending', () => {
    const encode = createEncoder(config({ maxEventBytes: 1024 }));
    expect(() =>
      encode({ record: record('logs', 0, 1), body: 'x'.repeat(2000), timeMs: 0, meta: {} }),
    ).toThrow(expect.objectContaining({ code: 'LB_HEC_EVENT_TOO_LARGE', disposition: 'reject' }));
  });
});
