import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEngineMetrics, InvalidJsonError, type SourceRecord } from '../../../src/engine/index.ts';
import { observersFor } from '../../../src/worker/console.ts';
import { observed, RecordTimes } from '../../../src/worker/observe.ts';
import { buildConnector, validateConnector } from '../../../src/worker/index.ts';

function record(offset: number, timestampMs: number, value = 'x'): SourceRecord {
  return {
    position: { topic: 't', partition: 0, offset: BigInt(offset) },
    key: null,
    value: Buffer.from(value),
    headers: {},
    timestampMs,
    sizeBytes: value.length,
  };
}

function valid(extra: Record<string, string> = {}) {
  const { connector, issues } = validateConnector({
    name: 'obs',
    config: {
      topics: 't',
      'kafka.bootstrap.servers': '127.0.0.1:9',
      'splunk.hec.uri': 'http://127.0.0.1:9',
      'splunk.hec.token': 'tok',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      ...extra,
    },
  });
  if (connector === undefined) throw new Error(JSON.stringify(issues));
  return connector;
}

describe('RecordTimes', () => {
  it('ages the oldest record not committed; after a commit, the next one; without lag, 0', () => {
    const times = new RecordTimes();
    times.read(record(10, 1_000));
    times.read(record(11, 5_000));
    expect(times.lagSeconds('t', 0, 2, 11_000)).toBe(10);
    times.committed([{ topic: 't', partition: 0, offset: 11n }]);
    expect(times.lagSeconds('t', 0, 1, 11_000)).toBe(6);
    times.committed([{ topic: 't', partition: 0, offset: 12n }]);
    // Nothing read beyond the commit: the last committed record's age bounds the lag from above.
    expect(times.lagSeconds('t', 0, 3, 11_000)).toBe(6);
    expect(times.lagSeconds('t', 0, 0, 11_000)).toBe(0);
    times.assigned(new Set());
    expect(times.lagSeconds('t', 0, 3, 11_000)).toBe(0);
  });
});

describe('dead letters kept for the console', () => {
  it('keeps the latest after the write is acknowledged, value cut and masked by the connector mask', async () => {
    const connector = valid({ transforms: 'mask', 'transforms.mask.type': 'mask' });
    const observers = observersFor(connector);
    const registry = new Registry();
    const parts = buildConnector(connector, {
      logger: pino({ level: 'silent' }),
      registry,
      metrics: createEngineMetrics(registry),
    });
    const written: SourceRecord[] = [];
    const queue = {
      write: (r: SourceRecord) => {
        written.push(r);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const wrapped = observed({ ...parts, deadLetters: queue }, observers);
    const cause = new InvalidJsonError('not json');
    const value = `{"mail": "jane.doe@example.com", "pad": "${'y'.repeat(2000)}"`;
    await wrapped.deadLetters?.write(record(7, 0, value), {
      connector: 'obs',
      stage: 'VALUE_CONVERTER',
      component: 'decode',
      cause,
    });
    expect(written).toHaveLength(1);
    const [kept] = observers.letters.latest(5);
    expect(kept).toMatchObject({
      stage: 'VALUE_CONVERTER',
      code: 'LB_INVALID_JSON',
      valueBytes: value.length,
    });
    expect(kept?.value).not.toContain('jane.doe@example.com');
    expect(kept?.value).toContain('[REDACTED:email]');
    expect(kept?.value.length).toBeLessThanOrEqual(513);
    await parts.source.stop();
  });

  it('masks with the default detectors when the connector has no mask transform', () => {
    const observers = observersFor(valid());
    expect(observers.shown(Buffer.from('call 10.1.2.3 or jane@example.com'))).not.toMatch(
      /10\.1\.2\.3|jane@/,
    );
    expect(observers.shown(Buffer.from([0xc3, 0x28, 0x41]))).toBe('(3 bytes, not UTF-8)');
  });
});
