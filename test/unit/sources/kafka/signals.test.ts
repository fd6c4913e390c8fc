import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../../../../src/engine/index.ts';
import { KafkaSignals } from '../../../../src/sources/kafka/signals.ts';

describe('KafkaSignals', () => {
  it("turns kafkajs' offset-reset log line into a call", () => {
    const signals = new KafkaSignals();
    const resets: TopicPartition[] = [];
    signals.onOffsetReset((tp) => resets.push(tp));
    signals.observe('Offset out of range, resetting to default offset', { topic: 'logs', partition: 3 });
    signals.observe('Offset out of range while fetching from follower, retrying with leader', {
      topic: 'logs',
      partition: 1,
    });
    signals.observe('Consumer has joined the group', {});
    expect(resets).toEqual([{ topic: 'logs', partition: 3 }]);
  });

  it('turns the log line of an eviction (UNKNOWN_MEMBER_ID) into a call', () => {
    const signals = new KafkaSignals();
    let evictions = 0;
    signals.onEvicted(() => (evictions += 1));
    signals.observe('The coordinator is not aware of this member, re-joining the group', { groupId: 'g' });
    signals.observe('The group is rebalancing, re-joining', {});
    expect(evictions).toBe(1);
  });
});
