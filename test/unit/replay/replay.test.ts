import { describe, expect, it } from 'vitest';
import type { Source, SourceContext, SourceRecord } from '../../../src/engine/index.ts';
import {
  duration,
  progressLine,
  RateMeter,
  replayDefinition,
  WindowSource,
} from '../../../src/replay/index.ts';

function record(partition: number, offset: number, timestampMs: number): SourceRecord {
  return {
    position: { topic: 't', partition, offset: BigInt(offset) },
    key: null,
    value: Buffer.from('x'),
    headers: {},
    timestampMs,
    sizeBytes: 1,
  };
}

/** A source that hands the given records to the context when started. */
function feeding(records: readonly SourceRecord[]): Source {
  return {
    id: 'fake',
    start: (context) => {
      for (const r of records) context.accept(r);
      return Promise.resolve();
    },
    commit: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

function collecting(into: SourceRecord[]): SourceContext {
  return {
    accept: (r) => into.push(r),
    isFull: () => false,
    ready: () => Promise.resolve(),
    assigned: () => undefined,
    revoked: () => undefined,
    revoking: () => Promise.resolve(),
    caughtUp: () => undefined,
    failed: () => undefined,
    offsetReset: () => undefined,
  };
}

describe('WindowSource', () => {
  it('lets through only [from, to) per partition with timestamps in the window, and tells when all is read', async () => {
    const records = [
      record(0, 4, 100), // before the window's offsets
      record(0, 5, 150), // in
      record(0, 6, 90), // in the offsets, timestamp before the window: skipped
      record(0, 7, 160), // last offset of the window: in
      record(0, 8, 170), // past the window: never handed on
      record(1, 0, 150), // partition 1 has an empty window
    ];
    const source = new WindowSource(
      feeding(records),
      [
        { topic: 't', partition: 0, from: 5n, to: 8n },
        { topic: 't', partition: 1, from: 3n, to: 3n },
      ],
      { fromMs: 100, toMs: 200 },
    );
    expect(source.progress()).toEqual({ total: 3, accepted: 0, skipped: 0, read: false });
    const accepted: SourceRecord[] = [];
    await source.start(collecting(accepted));
    expect(accepted.map((r) => `${r.position.partition}@${r.position.offset}`)).toEqual(['0@5', '0@7']);
    expect(source.progress()).toEqual({ total: 3, accepted: 2, skipped: 1, read: true });
  });
});

describe('replayDefinition', () => {
  const definition = {
    name: 'aks',
    config: {
      topics: 'logs',
      sinks: 'splunk-hec,mqtt,solace',
      'splunk.hec.json.event.enrichment': 'env=prod',
      'kafka.group.id': 'live-group',
    },
  };

  it('uses a group of its own, keeps the chosen sinks and marks every event', () => {
    const replay = replayDefinition(definition, { replayId: 'r1', sinks: ['splunk-hec', 'mqtt'] });
    expect(replay.config).toMatchObject({
      sinks: 'splunk-hec,mqtt',
      'kafka.group.id': 'logbridge-replay-aks-r1',
      'splunk.hec.json.event.enrichment': 'env=prod,logbridge_replay=r1',
      'mqtt.user.properties': 'logbridge_replay=r1',
    });
    expect(replay.config).not.toHaveProperty('sol.user_properties');
    expect(definition.config['kafka.group.id']).toBe('live-group');
  });

  it('refuses a sink the connector does not have', () => {
    expect(() => replayDefinition(definition, { replayId: 'r', sinks: ['kafka'] })).toThrow(
      /--sink kafka: the connector's sinks are splunk-hec, mqtt, solace/,
    );
  });
});

describe('progress', () => {
  it('measures the rate over its window and prints bar, counts, rate and ETA', () => {
    const meter = new RateMeter(5000);
    expect(meter.add({ atMs: 0, done: 0, total: 1000 })).toBe(0);
    const rate = meter.add({ atMs: 2000, done: 400, total: 1000 });
    expect(rate).toBe(200);
    expect(progressLine({ atMs: 2000, done: 400, total: 1000 }, rate)).toBe(
      '[##########..............]  40%  400/1,000 records  200/s  ETA 3s',
    );
    expect(progressLine({ atMs: 0, done: 0, total: 0 }, 0)).toMatch(
      /100% {2}0\/0 records {2}0\/s {2}ETA 0s$/,
    );
    expect(duration(185)).toBe('3m05s');
    expect(duration(7440)).toBe('2h04m');
  });
});
