/**
 * A throwaway read of the latest records of a connector's topics, for previews: a consumer in a consumer group of
 * its own (`logbridge-preview-<connector>-<random>`, never the connector's), auto-commit off and no commit ever,
 * positioned `count / partitions` records before the log end of each partition. The group holds no offset and is
 * deleted afterwards where the broker allows it.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { SourceRecord } from '../../engine/index.ts';
import { classifyKafkaError } from './errors.ts';
import { kafkaOffsets } from './group-offsets.ts';
import { toSourceRecord } from './record.ts';

/** What to read. */
export interface SampleReadOptions {
  readonly connector: string;
  readonly topics: readonly string[];
  /** Records wanted in total (spread over the partitions that have records). */
  readonly count: number;
  /** Only these partitions; default all. */
  readonly partitions?: readonly number[];
  /** Give up waiting for more after this long, ms; what was read is returned. @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Reads up to `count` of the latest records, in partition then offset order.
 * @throws BridgeError (LB_KAFKA_*) when Kafka cannot be read.
 */
export async function readLatestRecords(kafka: Kafka, options: SampleReadOptions): Promise<SourceRecord[]> {
  const groupId = `logbridge-preview-${options.connector}-${randomBytes(4).toString('hex')}`;
  const ranges = await startOffsets(kafka, groupId, options);
  if (ranges.size === 0) return [];
  try {
    const records = await readRanges(kafka, groupId, ranges, options.timeoutMs ?? 10_000);
    return records
      .sort(
        (a, b) =>
          a.position.partition - b.position.partition || Number(a.position.offset - b.position.offset),
      )
      .slice(0, options.count);
  } catch (error) {
    throw classifyKafkaError(error, `read sample records of ${options.topics.join(',')}`);
  } finally {
    // The group never held an offset; removing it is tidiness, refused by some brokers (Event Hubs).
    await deleteGroup(kafka, groupId).catch(() => undefined);
  }
}

/** Consumes each range [start, end) with a consumer that never commits; stops when all are read or time is up. */
async function readRanges(
  kafka: Kafka,
  groupId: string,
  ranges: ReadonlyMap<string, Range>,
  timeoutMs: number,
): Promise<SourceRecord[]> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  const records: SourceRecord[] = [];
  const wanted = [...ranges.values()].reduce((sum, range) => sum + Number(range.end - range.start), 0);
  const { promise: enough, resolve } = Promise.withResolvers<undefined>();
  const timer = setTimeout(() => {
    resolve(undefined);
  }, timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...ranges.values()].map((r) => r.topic))] });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const r of ranges.values())
        consumer.seek({ topic: r.topic, partition: r.partition, offset: `${r.start}` });
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = ranges.get(`${batch.topic}:${batch.partition}`);
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (range !== undefined && offset >= range.start && offset < range.end) {
            records.push(toSourceRecord(batch.topic, batch.partition, message));
          }
        }
        if (records.length >= wanted) resolve(undefined);
        await Promise.resolve();
      },
    });
    await enough;
    return records;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

interface Range {
  readonly topic: string;
  readonly partition: number;
  readonly start: bigint;
  readonly end: bigint;
}

/** Per partition with records, where the read starts: the last `count / partitions` records (at least one). */
async function startOffsets(
  kafka: Kafka,
  groupId: string,
  options: SampleReadOptions,
): Promise<Map<string, Range>> {
  const states = await kafkaOffsets(kafka).session(
    `read the offsets of ${options.topics.join(',')}`,
    (session) => session.positions(groupId, options.topics),
  );
  const chosen = states.filter(
    (s) => s.end > s.start && (options.partitions === undefined || options.partitions.includes(s.partition)),
  );
  const each = BigInt(Math.max(1, Math.ceil(options.count / Math.max(1, chosen.length))));
  const ranges = new Map<string, Range>();
  for (const s of chosen) {
    const start = s.end - each > s.start ? s.end - each : s.start;
    ranges.set(`${s.topic}:${s.partition}`, { topic: s.topic, partition: s.partition, start, end: s.end });
  }
  return ranges;
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
}
