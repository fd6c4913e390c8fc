/**
 * Reading clocks, and partial CRI lines timed on them through a connector: a line ages only while its partition is
 * caught up (or reading is stalled with nothing else in flight), never while its rest waits behind logbridge.
 */
import { describe, expect, it } from 'vitest';
import { Connector } from '../../../src/engine/index.ts';
import { ReadingClocks } from '../../../src/engine/reading-clock.ts';
import { transformsOf } from './chains.ts';
import { MemorySource, parts, ScriptedSink } from './fakes.ts';
import { record } from './records.ts';

describe('ReadingClocks', () => {
  it('runs only while the partition is caught up', () => {
    const clocks = new ReadingClocks();
    expect(clocks.read('t:0', 1000)).toBe(0);
    clocks.caughtUp('t:0', true, 1000);
    expect(clocks.read('t:0', 1500)).toBe(500);
    clocks.caughtUp('t:0', false, 2000);
    expect(clocks.read('t:0', 9000)).toBe(1000);
    clocks.caughtUp('t:0', true, 9000);
    clocks.caughtUp('t:0', true, 9500);
    expect(clocks.read('t:0', 10_000)).toBe(2000);
  });

  it('runs every clock while reading is stalled', () => {
    const clocks = new ReadingClocks();
    clocks.caughtUp('t:0', false, 0);
    clocks.caughtUp('t:1', true, 0);
    clocks.stalled(true, 1000);
    // t:2 was never reported: it runs from the start of the stall too.
    expect([clocks.read('t:0', 1500), clocks.read('t:1', 1500), clocks.read('t:2', 1500)]).toEqual([
      500, 1500, 500,
    ]);
    clocks.stalled(false, 2000);
    expect([clocks.read('t:0', 3000), clocks.read('t:1', 3000), clocks.read('t:2', 3000)]).toEqual([
      1000, 3000, 1000,
    ]);
  });

  it('skips time the process did not run', () => {
    const clocks = new ReadingClocks();
    clocks.caughtUp('t:0', true, 0);
    clocks.skip(10_000, 11_000);
    expect(clocks.read('t:0', 11_000)).toBe(1000);
    clocks.skip(60_000, 12_000);
    expect(clocks.read('t:0', 12_500)).toBe(500);
  });

  it('forgets partitions: a new assignment starts their clocks again', () => {
    const clocks = new ReadingClocks();
    clocks.caughtUp('t:0', true, 0);
    clocks.forget(['t:0']);
    expect(clocks.read('t:0', 5000)).toBe(0);
  });
});

const cri = transformsOf({
  transforms: 'cri',
  'transforms.cri.type': 'cri',
  'transforms.cri.max.age.ms': '100',
});
const line = (offset: number, text: string, key = 'pod-a') => ({
  ...record('t', 0, offset, `2024-11-24T08:16:00.000000001Z ${text}`),
  key: Buffer.from(key),
});
const logs = (sink: ScriptedSink): unknown[] => sink.received.map((e) => e.body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('partial CRI lines on the reading clock', () => {
  it('never cuts a line whose rest waits in the log behind a full budget and a slow sink', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.held = Promise.withResolvers();
    const budget = { maxRecords: 2, maxBytes: 1_000_000 };
    const connector = new Connector(parts(source, [sink], { transforms: cri, budget }));
    await connector.start();
    const records = [line(0, 'stdout F first'), line(1, 'stdout P big-'), line(2, 'stdout F rest')];
    expect(source.offer(records)).toBe(2);
    const ready = connector.ready();
    // Well past max.age.ms (100 ms) and two flushes: the rest of the line is in the log, logbridge is the reason.
    await sleep(2500);
    sink.held.resolve();
    await ready;
    expect(source.offer(records.slice(2))).toBe(1);
    await until(() => sink.received.length === 2);
    expect(logs(sink)).toEqual([
      { time: '2024-11-24T08:16:00.000000001Z', stream: 'stdout', logtag: 'F', log: 'first' },
      { time: '2024-11-24T08:16:00.000000001Z', stream: 'stdout', logtag: 'F', log: 'big-rest' },
    ]);
    await connector.stop();
    expect(source.committed(0)).toBe(3n);
  });

  it('sends a line partial once its partition is caught up and max.age.ms passed, and marks its rest', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: cri }));
    await connector.start();
    expect(source.offer([line(0, 'stdout P waiting-')])).toBe(1);
    await until(() => sink.received.length === 1);
    expect(sink.received[0]?.body).toMatchObject({ log: 'waiting-', partial: true });
    await sleep(2500);
    source.offer([line(1, 'stdout F late')]);
    await until(() => sink.received.length === 2);
    expect(sink.received[1]?.body).toMatchObject({ log: 'late', partial: true });
    await connector.stop();
    expect(source.committed(0)).toBe(2n);
  });

  it('lets kept lines go when they alone fill the budget and nothing else is in flight (no deadlock)', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const budget = { maxRecords: 2, maxBytes: 1_000_000 };
    const connector = new Connector(parts(source, [sink], { transforms: cri, budget }));
    await connector.start();
    const records = [line(0, 'stdout P a-'), line(1, 'stdout P b-', 'pod-b'), line(2, 'stdout F c')];
    expect(source.offer(records)).toBe(2);
    await connector.ready();
    expect(logs(sink)).toEqual([
      expect.objectContaining({ log: 'a-', partial: true }),
      expect.objectContaining({ log: 'b-', partial: true }),
    ]);
    await connector.stop();
  });
});
