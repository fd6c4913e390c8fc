import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEngineMetrics, type PartitionOffsets, type Source } from '../../../src/engine/index.ts';
import { OffsetsWatch } from '../../../src/engine/offsets-watch.ts';

function sourceWith(offsets: PartitionOffsets[]): Source {
  return {
    id: 'fixed',
    start: () => Promise.resolve(),
    commit: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    offsets: () => Promise.resolve(offsets),
  };
}

describe('OffsetsWatch', () => {
  it('computes lag from committed (or log start) to the end, and exports it', async () => {
    const registry = new Registry();
    const watch = new OffsetsWatch(
      sourceWith([
        { topic: 't', partition: 0, committed: 90n, end: 100n, start: 0n },
        { topic: 't', partition: 1, committed: undefined, end: 50n, start: 20n },
      ]),
      'c',
      createEngineMetrics(registry),
      pino({ level: 'silent' }),
    );
    const lags = await watch.refresh();
    expect(lags.map((l) => [l.partition, l.lag, l.committedAboveEnd])).toEqual([
      [0, 10n, false],
      [1, 30n, false],
    ]);
    expect(await registry.metrics()).toContain(
      'logbridge_partition_lag{connector="c",topic="t",partition="0"} 10',
    );
  });

  it('flags and counts a committed offset above the log end once', async () => {
    const registry = new Registry();
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const watch = new OffsetsWatch(
      sourceWith([{ topic: 't', partition: 0, committed: 120n, end: 100n, start: 0n }]),
      'c',
      createEngineMetrics(registry),
      logger,
    );
    await watch.refresh();
    await watch.refresh();
    expect(watch.latest[0]).toMatchObject({ committedAboveEnd: true, lag: 0n });
    expect(await registry.metrics()).toContain(
      'logbridge_offset_anomalies_total{connector="c",kind="committed_above_end"} 1',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/committed offset is above the log end/);
  });
});
