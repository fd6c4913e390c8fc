import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckpointTracker, footprintOf, InFlightBudget, type Ticket } from '../../../src/engine/index.ts';
import { record } from './records.ts';

const budget = (): InFlightBudget => new InFlightBudget({ maxRecords: 1_000_000, maxBytes: 1_000_000_000 });

describe('CheckpointTracker', () => {
  it('commits 1 + the highest contiguous settled offset, never past an unsettled record', () => {
    const tracker = new CheckpointTracker(budget());
    const tickets = [10, 11, 12, 13].map((offset) => tracker.track(record('t', 0, offset)));
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 10n }]);
    tickets[1]?.release();
    tickets[2]?.release();
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 10n }]);
    tickets[0]?.release();
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 13n }]);
    tickets[3]?.release();
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 14n }]);
  });

  it('offers a partition again only when its watermark moved past the last commit', () => {
    const tracker = new CheckpointTracker(budget());
    tracker.track(record('t', 0, 0))?.release();
    tracker.markCommitted(tracker.committable());
    expect(tracker.committable()).toEqual([]);
    tracker.track(record('t', 0, 1))?.release();
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 2n }]);
  });

  it('settles a record only when every retained delivery is released', () => {
    const tracker = new CheckpointTracker(budget());
    const ticket = tracker.track(record('t', 0, 5));
    ticket?.retain(2);
    ticket?.release();
    ticket?.release();
    expect(ticket?.settled).toBe(false);
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 5n }]);
    ticket?.release();
    expect(ticket?.settled).toBe(true);
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: 6n }]);
  });

  it('skips a refetched offset of the current assignment', () => {
    const tracker = new CheckpointTracker(budget());
    expect(tracker.track(record('t', 0, 5))).toBeDefined();
    expect(tracker.track(record('t', 0, 5))).toBeUndefined();
    expect(tracker.track(record('t', 0, 3))).toBeUndefined();
    expect(tracker.track(record('t', 1, 3))).toBeDefined();
  });

  it('forgets revoked partitions: late settlements move no checkpoint, the budget is still released', () => {
    const b = budget();
    const tracker = new CheckpointTracker(b);
    const ticket = tracker.track(record('t', 0, 7));
    tracker.revoke([{ topic: 't', partition: 0 }]);
    expect(tracker.committable()).toEqual([]);
    expect(b.records).toBe(1);
    ticket?.release();
    expect(tracker.committable()).toEqual([]);
    expect(b.records).toBe(0);
    expect(tracker.track(record('t', 0, 7))).toBeDefined();
  });

  it('counts bytes until a record settles, and the record until a commit covers it', () => {
    const b = budget();
    const tracker = new CheckpointTracker(b);
    const first = tracker.track(record('t', 0, 0, 'hello'));
    const second = tracker.track(record('t', 0, 1, 'hi'));
    expect([b.records, b.unsettled, b.bytes]).toEqual([2, 2, footprintOf(5) + footprintOf(2)]);
    second?.release();
    expect([b.records, b.unsettled, b.bytes]).toEqual([2, 1, footprintOf(5)]);
    first?.release();
    expect([b.records, b.unsettled, b.bytes]).toEqual([2, 0, 0]);
    tracker.markCommitted([{ topic: 't', partition: 0, offset: 1n }]);
    expect(b.records).toBe(1);
    tracker.markCommitted(tracker.committable());
    expect(b.records).toBe(0);
  });

  it('lets every record of a revoked partition leave the budget, settled or not', () => {
    const b = budget();
    const tracker = new CheckpointTracker(b);
    const tickets = [0, 1, 2].map((offset) => tracker.track(record('t', 0, offset)));
    tickets[0]?.release();
    tickets[2]?.release();
    tracker.revoke([{ topic: 't', partition: 0 }]);
    expect(b.records).toBe(1);
    tickets[1]?.release();
    expect([b.records, b.unsettled, b.bytes]).toEqual([0, 0, 0]);
  });
});

const steps = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('track' as const),
        partition: fc.integer({ min: 0, max: 2 }),
        gap: fc.integer({ min: 1, max: 3 }),
        fanOut: fc.integer({ min: 0, max: 4 }),
      }),
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('revoke' as const),
        partition: fc.integer({ min: 0, max: 2 }),
      }),
    },
  ),
  { maxLength: 300 },
);

interface Model {
  partition: number;
  offset: bigint;
  holds: number;
  ticket: Ticket;
  generation: number;
}

describe('CheckpointTracker (property)', () => {
  it('never passes an unsettled record, and reaches the end once all settle', () => {
    fc.assert(
      fc.property(steps, (plan) => {
        const b = budget();
        const tracker = new CheckpointTracker(b);
        const next = [0n, 0n, 0n];
        const generation = [0, 0, 0];
        let live: Model[] = [];
        for (const step of plan) {
          if (step.kind === 'track') {
            const offset = (next[step.partition] ?? 0n) + BigInt(step.gap - 1);
            next[step.partition] = offset + 1n;
            const ticket = tracker.track(record('t', step.partition, offset));
            if (ticket === undefined) throw new Error('fresh offset refused');
            // A fan-out of k deliveries (splits × sinks); 0 = dropped by a transform.
            ticket.retain(step.fanOut);
            ticket.release();
            live.push({
              partition: step.partition,
              offset,
              holds: step.fanOut,
              ticket,
              generation: generation[step.partition] ?? 0,
            });
          } else if (step.kind === 'release') {
            const pending = live.filter((m) => m.holds > 0);
            const chosen = pending[step.pick % Math.max(1, pending.length)];
            if (chosen !== undefined) {
              chosen.holds -= 1;
              chosen.ticket.release();
            }
          } else {
            tracker.revoke([{ topic: 't', partition: step.partition }]);
            generation[step.partition] = (generation[step.partition] ?? 0) + 1;
          }
          checkInvariant(tracker, live, generation);
        }
        for (const m of live)
          while (m.holds > 0) {
            m.holds -= 1;
            m.ticket.release();
          }
        live = live.filter((m) => m.generation === generation[m.partition]);
        for (const offset of tracker.committable()) {
          const mine = live.filter((m) => m.partition === offset.partition);
          const last = mine.at(-1);
          if (last !== undefined) expect(offset.offset).toBe(last.offset + 1n);
        }
        expect(b.unsettled).toBe(0);
        tracker.markCommitted(tracker.committable());
        expect(b.records).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

function checkInvariant(
  tracker: CheckpointTracker,
  live: readonly Model[],
  generation: readonly number[],
): void {
  for (const offset of tracker.committable()) {
    const current = live.filter(
      (m) => m.partition === offset.partition && m.generation === generation[m.partition],
    );
    for (const m of current) {
      if (m.offset < offset.offset && m.holds > 0) {
        throw new Error(
          `watermark ${offset.offset} passed unsettled offset ${m.offset} of partition ${m.partition}`,
        );
      }
    }
  }
}
