/**
 * The delivery contract, model-based: random transform chains (split-records, cri, a transform that drops, one that
 * refuses), random records (CRI fragments across streams and sources, plain text, JSON bodies, oversize ones),
 * sinks that fail transiently, refuse events or stall, a dead-letter queue that fails, commits that fail, a full
 * budget, new generations, partitions lost and claimed one at a time, and crashes — driven through the Source
 * interface alone (delivery-model.ts). Whatever happens:
 * - no commit passes a record whose content is not at every sink, in the dead-letter queue, or dropped on purpose,
 *   and committed offsets never go back;
 * - once the sinks recover, every record settles (nothing stays held) and the checkpoints reach the log end.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connector, type NamedTransform } from '../../../src/engine/index.ts';
import { transformsOf } from './chains.ts';
import {
  ModelDeadLetters,
  ModelSink,
  ModelSource,
  Random,
  type RecordSpec,
  type SinkMode,
  World,
} from './delivery-model.ts';
import { parts } from './fakes.ts';

const PARTITIONS = [0, 1];

const piece = fc.record({
  cri: fc.constantFrom(true, true, true, false),
  stream: fc.constantFrom('stdout' as const, 'stderr' as const),
  partial: fc.boolean(),
  marker: fc.constantFrom('' as const, '' as const, '' as const, 'DROP' as const, 'BOOM' as const),
  padBytes: fc.constantFrom(0, 0, 0, 0, 600),
});
const recordSpec: fc.Arbitrary<RecordSpec> = fc.record({
  pieces: fc.array(piece, { minLength: 1, maxLength: 3 }),
  key: fc.constantFrom('a' as const, 'b' as const),
  json: fc.boolean(),
});
const partition = fc.constantFrom(...PARTITIONS);

const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('produce' as const),
      partition,
      records: fc.array(recordSpec, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      partition,
      count: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 5, max: 1500 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sink' as const),
      index: fc.nat(1),
      mode: fc.constantFrom<SinkMode>('ok', 'ok', 'retry', 'reject', 'hold'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('rebalance' as const), partitions: fc.subarray(PARTITIONS) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lose' as const), partition }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('claim' as const), partition }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('evict' as const), count: fc.integer({ min: 0, max: 8 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dead-letters' as const), failing: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('commit-failures' as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const scenario = fc.record({
  chain: fc.shuffledSubarray(['split', 'cri', 'drop', 'refuse'] as const),
  sinks: fc.constantFrom(['hec'], ['hec', 'mqtt']),
  maxRecords: fc.integer({ min: 3, max: 30 }),
  maxAgeMs: fc.integer({ min: 100, max: 3000 }),
  seed: fc.integer(),
  steps: fc.array(step, { minLength: 20, maxLength: 80 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** Lets fake time pass until `promise` settles (a commit waits for its gap on a timer). */
async function waitFor(promise: Promise<unknown>): Promise<void> {
  const state = { done: false };
  void promise.finally(() => {
    state.done = true;
  });
  for (let i = 0; !state.done; i += 1) {
    if (i > 10_000) throw new Error('a commit never finished');
    await vi.advanceTimersByTimeAsync(10);
  }
}

/** One logbridge process: a connector and the source, sinks and dead-letter queue it was built with. */
interface Process {
  readonly connector: Connector;
  readonly source: ModelSource;
  readonly sinks: readonly ModelSink[];
  readonly deadLetters: ModelDeadLetters;
}

function chainOf(world: World, s: Scenario): NamedTransform[] {
  return s.chain.flatMap((name) => {
    if (name === 'drop' || name === 'refuse') return [world.transform(name)];
    if (name === 'split')
      return transformsOf({ transforms: 'split', 'transforms.split.type': 'split-records' });
    return transformsOf({
      transforms: 'cri',
      'transforms.cri.type': 'cri',
      'transforms.cri.max.age.ms': String(s.maxAgeMs),
    });
  });
}

async function boot(
  world: World,
  s: Scenario,
  owned: Iterable<number>,
  generation: number,
): Promise<Process> {
  const random = new Random(s.seed + generation);
  const sinks = world.sinkIds.map((id) => new ModelSink(id, world, random));
  const deadLetters = new ModelDeadLetters(world, random);
  const source = new ModelSource(world, random, owned);
  const connector = new Connector(
    parts(source, sinks, {
      transforms: chainOf(world, s),
      deadLetters,
      tolerance: 'all',
      budget: { maxRecords: s.maxRecords, maxBytes: 100_000_000 },
      commit: { intervalMs: 5000, minGapMs: 50 },
      backoff: { baseMs: 20, capMs: 200 },
    }),
  );
  await connector.start();
  return { connector, source, sinks, deadLetters };
}

async function apply(world: World, s: Scenario, process: Process, step: Step, n: number): Promise<Process> {
  const { source, connector } = process;
  switch (step.kind) {
    case 'produce':
      for (const spec of step.records) world.produce(step.partition, spec);
      break;
    case 'read':
      source.read(step.partition, step.count);
      break;
    case 'tick':
      await vi.advanceTimersByTimeAsync(step.ms);
      break;
    case 'sink': {
      const sink = process.sinks[step.index % process.sinks.length];
      if (sink !== undefined) sink.mode = step.mode;
      break;
    }
    case 'commit':
      await waitFor(connector.revoking());
      break;
    case 'rebalance':
      await waitFor(connector.revoking());
      source.assign(step.partitions);
      break;
    case 'lose':
      source.lose(step.partition);
      break;
    case 'claim':
      if (!source.owned.has(step.partition)) source.claim(step.partition);
      break;
    case 'crash':
      source.die();
      for (const sink of process.sinks) sink.die();
      process.deadLetters.die();
      return boot(world, s, source.owned, n);
    case 'evict':
      // Stalled past the session timeout: another member takes every partition over and goes on; this process
      // wakes (its timers fire, its commits are refused), then rejoins with the same partitions.
      source.evicted = true;
      for (const p of PARTITIONS) world.takeOver(p, step.count);
      await vi.advanceTimersByTimeAsync(100);
      source.evicted = false;
      source.assign([...source.owned]);
      break;
    case 'dead-letters':
      process.deadLetters.failing = step.failing;
      break;
    case 'commit-failures':
      source.commitFailures = step.count;
      break;
  }
  await vi.advanceTimersByTimeAsync(1);
  return process;
}

/** Heals everything, owns every partition, reads to the end and lets time pass until all is committed. */
async function settle(world: World, process: Process): Promise<void> {
  const { source, connector } = process;
  for (const sink of process.sinks) sink.mode = 'ok';
  process.deadLetters.failing = false;
  source.commitFailures = 0;
  if (PARTITIONS.some((p) => !source.owned.has(p))) {
    await waitFor(connector.revoking());
    source.assign(PARTITIONS);
  }
  for (let round = 0; round < 400; round += 1) {
    for (const p of PARTITIONS) source.read(p, 1000);
    await vi.advanceTimersByTimeAsync(250);
    await waitFor(connector.revoking());
    const atEnd = PARTITIONS.every((p) => world.committed[p] === BigInt(world.log[p]?.length ?? 0));
    if (atEnd && source.caughtUp && connector.status().inFlight.unsettled === 0) return;
  }
}

describe('delivery contract (model-based)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never commits past content that is nowhere, and commits everything once all settles', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        vi.clearAllTimers();
        const world = new World(PARTITIONS.length, s.sinks);
        let proc = await boot(world, s, PARTITIONS, 0);
        for (const [n, current] of s.steps.entries()) proc = await apply(world, s, proc, current, n + 1);
        await settle(world, proc);
        expect(world.violations).toEqual([]);
        expect(world.committed).toEqual(world.log.map((records) => BigInt(records.length)));
        for (const records of world.log) for (const r of records) expect(world.undelivered(r)).toEqual([]);
        const { inFlight } = proc.connector.status();
        expect([inFlight.unsettled, inFlight.records, inFlight.bytes]).toEqual([0, 0, 0]);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
