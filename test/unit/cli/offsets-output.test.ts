import { describe, expect, it } from 'vitest';
import {
  describeActivity,
  jsonOffset,
  planJson,
  planTable,
  statesTable,
  table,
} from '../../../src/cli/offsets-output.ts';
import type { GroupActivity, PartitionState, ResetPlan } from '../../../src/offsets/index.ts';

const empty: GroupActivity = { groupId: 'g', state: 'Empty', members: 0, clients: [] };

describe('offsets output', () => {
  it('aligns columns', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xyz', '1'],
          ['', '22'],
        ],
      ),
    ).toBe('A    BB\nxyz  1\n     22');
  });

  it('describes the group', () => {
    expect(describeActivity(empty)).toBe('Empty, no live member');
    expect(describeActivity({ groupId: 'g', state: 'Stable', members: 2, clients: ['a@h1', 'b@h2'] })).toBe(
      'Stable, 2 live members (a@h1, b@h2)',
    );
  });

  it('shows committed, log start and end and lag, and flags what needs a look', () => {
    const states: PartitionState[] = [
      { topic: 'logs', partition: 0, committed: 5n, start: 0n, end: 12n, lag: 7n, committedAboveEnd: false },
      {
        topic: 'logs',
        partition: 1,
        committed: undefined,
        start: 3n,
        end: 4n,
        lag: 1n,
        committedAboveEnd: false,
      },
      { topic: 'logs', partition: 2, committed: 90n, start: 0n, end: 80n, lag: 0n, committedAboveEnd: true },
    ];
    expect(statesTable(states).split('\n')).toEqual([
      'TOPIC  PARTITION  COMMITTED  LOG-START  LOG-END  LAG  NOTE',
      'logs   0          5          0          12       7',
      'logs   1          -          3          4        1    no committed offset',
      'logs   2          90         0          80       0    committed offset above the log end: reset it',
    ]);
  });

  const plan: ResetPlan = {
    groupId: 'g',
    spec: { to: 'latest' },
    description: 'to the latest offset (log end)',
    partitions: [
      {
        topic: 'logs',
        partition: 0,
        current: 5n,
        target: 12n,
        from: 5n,
        start: 0n,
        end: 12n,
        note: undefined,
      },
      { topic: 'logs', partition: 1, current: 4n, target: 4n, from: 4n, start: 3n, end: 4n, note: undefined },
      {
        topic: 'logs',
        partition: 2,
        current: undefined,
        target: 2n ** 60n,
        from: 2n ** 60n + 5n,
        start: 0n,
        end: 2n ** 60n,
        note: 'n',
      },
    ],
  };

  it('shows a plan as current → target, marking unchanged rows', () => {
    expect(planTable(plan.partitions).split('\n')).toEqual([
      'TOPIC  PARTITION  CURRENT  TARGET               LOG-START  LOG-END              EVENTS        NOTE',
      'logs   0          5        12                   0          12                   skipped 7',
      'logs   1          4        4                    3          4                                  unchanged',
      'logs   2          -        1152921504606846976  0          1152921504606846976  read again 5  n',
    ]);
  });

  it('writes a plan as JSON, big offsets as strings', () => {
    const json = JSON.parse(planJson('c', empty, plan, false)) as Record<string, unknown>;
    expect(json).toMatchObject({ connector: 'c', group: 'g', state: 'Empty', members: 0, executed: false });
    expect(json['partitions']).toEqual([
      {
        topic: 'logs',
        partition: 0,
        current: 5,
        target: 12,
        log_start: 0,
        log_end: 12,
        changes: true,
        read_again: 0,
        skipped: 7,
        note: null,
      },
      {
        topic: 'logs',
        partition: 1,
        current: 4,
        target: 4,
        log_start: 3,
        log_end: 4,
        changes: false,
        read_again: 0,
        skipped: 0,
        note: null,
      },
      {
        topic: 'logs',
        partition: 2,
        current: null,
        target: '1152921504606846976',
        log_start: 0,
        log_end: '1152921504606846976',
        changes: true,
        read_again: 5,
        skipped: 0,
        note: 'n',
      },
    ]);
    expect(jsonOffset(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
