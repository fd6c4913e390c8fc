import { describe, expect, it } from 'vitest';
import { GroupActiveError, OffsetsNotAppliedError } from '../../../src/offsets/index.ts';

const activity = {
  groupId: 'logbridge-aks',
  state: 'Stable',
  members: 2,
  clients: ['a@10.0.0.5', 'b@10.0.0.6'],
  liveness:
    'after a crash the broker drops a member once its session times out (kafka.session.timeout.ms, 30 s by default)',
};

describe('offsets errors', () => {
  it("refuses in Kafka Connect's words, naming the group, its members and what to do", () => {
    const error = new GroupActiveError(activity, { connector: 'aks' });
    expect(error.code).toBe('LB_OFFSETS_GROUP_ACTIVE');
    expect(error.duringChange).toBe(false);
    expect(error.message).toBe(
      'Failed to alter consumer group offsets for connector aks: the consumer group logbridge-aks still has 2 live ' +
        'members (state Stable: a@10.0.0.5, b@10.0.0.6). Stop the connector first (PUT /connectors/aks/stop, or ' +
        'stop every logbridge process that runs it) and try again; after a crash the broker drops a member once its ' +
        'session times out (kafka.session.timeout.ms, 30 s by default).',
    );
  });

  it("ends without the source's liveness rule when it has none", () => {
    const { liveness: _, ...bare } = activity;
    expect(new GroupActiveError(bare).message).toMatch(
      /PUT \/connectors\/\{name\}\/stop, or stop every logbridge process that runs it\) and try again\.$/,
    );
  });

  it('says when a member joined during the change', () => {
    const one = { ...activity, members: 1, clients: ['a@h'] };
    const error = new GroupActiveError(one, { duringChange: true });
    expect(error.duringChange).toBe(true);
    expect(error.message).toMatch(
      /^A member joined consumer group logbridge-aks while the offsets of the connector were being changed, and may commit over the change: the group has 1 live member \(state Stable: a@h\)\. Stop the connector first \(PUT \/connectors\/\{name\}\/stop/,
    );
  });

  it('lists the partitions that did not change', () => {
    const error = new OffsetsNotAppliedError('g', [
      { topic: 't', partition: 0, expected: 5n, committed: 9n },
      { topic: 't', partition: 1, expected: 0n, committed: undefined },
    ]);
    expect(error.code).toBe('LB_OFFSETS_NOT_APPLIED');
    expect(error.disposition).toBe('retry');
    expect(error.message).toContain('t[0] is 9, not 5; t[1] is uncommitted, not 0');
  });
});
