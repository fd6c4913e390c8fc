/**
 * Committed and end offsets of a group's topics, for status and lag.
 * @module
 */
import type { Kafka } from 'kafkajs';
import type { PartitionOffsets } from '../../engine/index.ts';
import { classifyKafkaError } from './errors.ts';

/** Reads, per partition of `topics`, the group's committed offset and the log start and end offsets. */
export async function fetchPartitionOffsets(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionOffsets[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    const result: PartitionOffsets[] = [];
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const c = mine.find((p) => p.partition === end.partition)?.offset;
        result.push({
          topic,
          partition: end.partition,
          committed: c === undefined || c === '-1' ? undefined : BigInt(c),
          end: BigInt(end.high),
          start: BigInt(end.low),
        });
      }
    }
    return result;
  } catch (error) {
    throw classifyKafkaError(error, `read offsets of group ${groupId}`);
  } finally {
    await admin.disconnect();
  }
}
