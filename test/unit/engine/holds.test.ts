/**
 * Holds per held event, and an outcome for every event of a transform run, through a connector with the real
 * `split-records` and `cri` transforms: a record is never settled while content of it lives only in CRI state.
 */
import { describe, expect, it } from 'vitest';
import { Connector, TransformError } from '../../../src/engine/index.ts';
import { criRecords, MemoryDeadLetters, transformsOf } from './chains.ts';
import { MemorySource, parts, ScriptedSink } from './fakes.ts';

const splitThenCri = {
  transforms: 'split,cri',
  'transforms.split.type': 'split-records',
  'transforms.cri.type': 'cri',
};

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const logs = (sink: ScriptedSink): unknown[] => sink.received.map((e) => (e.body as { log?: unknown }).log);

describe('holds', () => {
  it('holds a record once per held fragment: a stderr fragment keeps it after its stdout line is delivered', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: transformsOf(splitThenCri) }));
    await connector.start();
    source.offer([criRecords(0, ['stdout P aaa', 'stderr P bbb']), criRecords(1, ['stdout F ccc'])]);
    await until(() => sink.received.length === 1);
    expect(logs(sink)).toEqual(['aaaccc']);
    await connector.stop();
    // bbb lives only in CRI state: record 0 must be read again after a restart.
    expect(source.committed(0) ?? 0n).toBe(0n);
  });

  it('settles the record once both of its fragments are delivered', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: transformsOf(splitThenCri) }));
    await connector.start();
    source.offer([
      criRecords(0, ['stdout P aaa', 'stderr P bbb']),
      criRecords(1, ['stdout F ccc']),
      criRecords(2, ['stderr F ddd']),
    ]);
    await until(() => sink.received.length === 2);
    expect(logs(sink)).toEqual(['aaaccc', 'bbbddd']);
    await until(() => connector.status().partitions[0]?.watermark === 3n);
    await connector.stop();
    expect(source.committed(0)).toBe(3n);
  });

  it('settles a record held twice in one line (two fragments of one stream in one record)', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: transformsOf(splitThenCri) }));
    await connector.start();
    source.offer([criRecords(0, ['stdout P a', 'stdout P b']), criRecords(1, ['stdout F c'])]);
    await until(() => sink.received.length === 1);
    expect(logs(sink)).toEqual(['abc']);
    await until(() => connector.status().partitions[0]?.watermark === 2n);
    await connector.stop();
    expect(source.committed(0)).toBe(2n);
  });
});

describe('every event of a run reaches an outcome', () => {
  const refusing = {
    name: 'refuse-boom',
    apply: (event: Parameters<NonNullable<ReturnType<typeof transformsOf>[number]['apply']>>[0]) => {
      if ((event.body as { log?: unknown }).log === 'boom') throw new TransformError('boom refused');
      return event;
    },
  };

  it('dead-letters the line a refused sibling completed, with every record it carries', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const dlq = new MemoryDeadLetters();
    const transforms = [...transformsOf(splitThenCri), refusing];
    const connector = new Connector(
      parts(source, [sink], { transforms, deadLetters: dlq, tolerance: 'all' }),
    );
    await connector.start();
    source.offer([
      criRecords(0, ['stdout P aaa']),
      criRecords(1, ['stdout F bbb', 'stderr F boom']),
      criRecords(2, ['stdout F next']),
    ]);
    await until(() => connector.status().partitions[0]?.watermark === 3n);
    await connector.stop();
    // Record 1 is refused whole; the line aaabbb it completed leaves with it, so record 0 goes too (its content is
    // in that line): replaying the dead letters in order rebuilds it. Nothing of record 1 reached the sink.
    expect(logs(sink)).toEqual(['next']);
    expect(dlq.offsets.sort()).toEqual([0n, 1n]);
    expect(dlq.written.map((w) => [w.failure.stage, w.failure.component])).toEqual([
      ['TRANSFORMATION', 'refuse-boom'],
      ['TRANSFORMATION', 'refuse-boom'],
    ]);
    expect(source.committed(0)).toBe(3n);
  });

  it('keeps a fragment held by the refused record: it is delivered with its line, the record dead-lettered', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const dlq = new MemoryDeadLetters();
    const transforms = [...transformsOf(splitThenCri), refusing];
    const connector = new Connector(
      parts(source, [sink], { transforms, deadLetters: dlq, tolerance: 'all' }),
    );
    await connector.start();
    source.offer([criRecords(0, ['stderr P held-', 'stdout F boom'])]);
    await until(() => dlq.written.length === 1);
    expect(connector.status().partitions[0]?.watermark).toBe(0n);
    source.offer([criRecords(1, ['stderr F rest'])]);
    await until(() => connector.status().partitions[0]?.watermark === 2n);
    await connector.stop();
    expect(logs(sink)).toEqual(['held-rest']);
    expect(dlq.offsets).toEqual([0n]);
  });
});
