import { describe, expect, it } from 'vitest';
import {
  describeSpec,
  partitionKey,
  type PartitionState,
  planTargets,
  rowEffect,
  selectPartitions,
} from '../../../src/offsets/index.ts';

function state(partition: number, committed: bigint | undefined, start: bigint, end: bigint): PartitionState {
  return { topic: 'logs', partition, committed, start, end, lag: 0n, committedAboveEnd: false };
}

// partition 0: committed 50 of [10, 100); partition 1: no commit, [0, 40); partition 2: committed 5 of [20, 30)
const states = [state(0, 50n, 10n, 100n), state(1, undefined, 0n, 40n), state(2, 5n, 20n, 30n)];
const earliest = { autoOffsetReset: 'earliest' } as const;

const targets = (rows: readonly { target: bigint }[]): bigint[] => rows.map((r) => r.target);

describe('planTargets', () => {
  it('earliest and latest are the log start and end', () => {
    expect(targets(planTargets(states, { to: 'earliest' }, earliest))).toEqual([10n, 0n, 20n]);
    expect(targets(planTargets(states, { to: 'latest' }, earliest))).toEqual([100n, 40n, 30n]);
  });

  it('keeps the current offset and the log bounds on every row', () => {
    const [first, second] = planTargets(states, { to: 'latest' }, earliest);
    expect(first).toEqual({
      topic: 'logs',
      partition: 0,
      current: 50n,
      target: 100n,
      from: 50n,
      start: 10n,
      end: 100n,
      note: undefined,
    });
    expect(second?.current).toBeUndefined();
  });

  it('counts the events a row reads again or skips, from where the connector reads now', () => {
    const [first, second] = planTargets(states, { to: 'offset', offset: 25n }, earliest);
    expect(first && rowEffect(first)).toEqual({ reread: 25n, skipped: 0n });
    // No committed offset: the connector would start at the log start (earliest), 25 events before the target.
    expect(second?.from).toBe(second?.start);
    expect(second && rowEffect(second)).toEqual({ reread: 0n, skipped: 25n });
    const [, latest] = planTargets(states, { to: 'offset', offset: 25n }, { autoOffsetReset: 'latest' });
    expect(latest?.from).toBe(latest?.end);
  });

  it('clamps an offset into [start, end] and says so', () => {
    const rows = planTargets(states, { to: 'offset', offset: 35n }, earliest);
    expect(targets(rows)).toEqual([35n, 35n, 30n]);
    expect(rows[0]?.note).toBeUndefined();
    expect(rows[2]?.note).toBe('35 is past the log end 30: clamped');
    const low = planTargets(states, { to: 'offset', offset: 3n }, earliest);
    expect(targets(low)).toEqual([10n, 3n, 20n]);
    expect(low[0]?.note).toBe('3 is before the log start 10: clamped');
  });

  it('shifts from the committed offset, and from where the connector would start without one', () => {
    const back = planTargets(states, { to: 'shift', by: -15n }, earliest);
    expect(targets(back)).toEqual([35n, 0n, 20n]);
    expect(back[1]?.note).toContain('no committed offset: shifted from the log start 0');
    expect(back[1]?.note).toContain('-15 is before the log start 0: clamped');
    expect(back[2]?.note).toBe('-10 is before the log start 20: clamped');
    const forward = planTargets(states, { to: 'shift', by: 5n }, { autoOffsetReset: 'latest' });
    expect(targets(forward)).toEqual([55n, 40n, 20n]);
    expect(forward[1]?.note).toContain('shifted from the log end 40 (kafka.auto.offset.reset=latest)');
  });

  it('takes datetime targets from the lookup, and notes when no record is that recent', () => {
    const at = new Date('2026-11-24T08:00:00Z');
    const offsetsAtTime = new Map([
      [partitionKey('logs', 0), 64n],
      [partitionKey('logs', 1), 40n],
      [partitionKey('logs', 2), 20n],
    ]);
    const rows = planTargets(states, { to: 'datetime', at }, { ...earliest, offsetsAtTime });
    expect(targets(rows)).toEqual([64n, 40n, 20n]);
    expect(rows[1]?.note).toBe('no record at or after 2026-11-24T08:00:00.000Z: the log end');
    expect(() => planTargets(states, { to: 'datetime', at }, earliest)).toThrow(/no offset looked up/);
  });

  it('sets explicit offsets, clamped, and null to where the connector starts without a commit', () => {
    const rows = planTargets(
      states,
      {
        to: 'explicit',
        offsets: [
          { topic: 'logs', partition: 2, offset: 99n },
          { topic: 'logs', partition: 0, offset: null },
        ],
      },
      earliest,
    );
    expect(rows.map((r) => [r.partition, r.target])).toEqual([
      [2, 30n],
      [0, 10n],
    ]);
    expect(rows[1]?.note).toContain('no committed offset asked (null): set to the log start');
    const latest = planTargets(
      states,
      { to: 'explicit', offsets: [{ topic: 'logs', partition: 0, offset: null }] },
      { autoOffsetReset: 'latest' },
    );
    expect(targets(latest)).toEqual([100n]);
  });

  it.each([
    ['the list of offsets is empty', []],
    [
      'logs[0] is listed twice',
      [
        { topic: 'logs', partition: 0, offset: 1n },
        { topic: 'logs', partition: 0, offset: 2n },
      ],
    ],
    [
      "other[0] is not a partition of the connector's topics (logs)",
      [{ topic: 'other', partition: 0, offset: 1n }],
    ],
    ['logs[7] is not a partition', [{ topic: 'logs', partition: 7, offset: 1n }]],
    ['logs[0]: offset -1 is negative', [{ topic: 'logs', partition: 0, offset: -1n }]],
  ])('refuses an explicit list: %s', (message, offsets) => {
    const attempt = (): unknown => planTargets(states, { to: 'explicit', offsets }, earliest);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(expect.objectContaining({ code: 'LB_OFFSETS_INVALID' }));
  });
});

describe('selectPartitions', () => {
  const two = [...states, { ...state(0, 1n, 0n, 5n), topic: 'audit' }];

  it('keeps everything without a selection', () => {
    expect(selectPartitions(two)).toHaveLength(4);
  });

  it('narrows to topics and partitions', () => {
    expect(selectPartitions(two, { topics: ['audit'] }).map((s) => s.topic)).toEqual(['audit']);
    expect(selectPartitions(two, { topics: ['logs'], partitions: [2, 0] }).map((s) => s.partition)).toEqual([
      0, 2,
    ]);
  });

  it('refuses a topic the connector does not consume, and a partition the topic lacks', () => {
    expect(() => selectPartitions(two, { topics: ['nope'] })).toThrow(
      'topic nope is not consumed by this connector (topics: logs, audit)',
    );
    expect(() => selectPartitions(two, { topics: ['logs'], partitions: [3] })).toThrow(
      'topic logs has no partition 3 (it has 3: 0 to 2)',
    );
    expect(() => selectPartitions(two, { partitions: [1] })).toThrow('topic audit has no partition 1');
  });
});

describe('describeSpec', () => {
  it('says what a reset does', () => {
    expect(describeSpec({ to: 'datetime', at: new Date('2026-11-24T08:00:00+01:00') })).toBe(
      'to the first record at or after 2026-11-24T07:00:00.000Z',
    );
    expect(describeSpec({ to: 'shift', by: 5n })).toBe('shifted by +5');
    expect(describeSpec({ to: 'shift', by: -5n })).toBe('shifted by -5');
    expect(describeSpec({ to: 'explicit', offsets: [{ topic: 't', partition: 0, offset: null }] })).toBe(
      'to 1 given offset',
    );
  });
});
