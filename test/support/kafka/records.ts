import { Kafka, Partitioners, type IHeaders, type Message } from 'kafkajs';
import { uniqueName } from '../names.ts';
import { recordCount } from './admin.ts';
import { plaintextConfig } from './clients.ts';
import type { KafkaCoordinates } from './coordinates.ts';

/** Options of {@link produce}. */
export interface ProduceOptions {
  /** Records per produce request. @default 1000 */
  readonly batchSize?: number;
  /** `-1` (all in-sync replicas), `1` or `0`. @default -1 */
  readonly acks?: number;
}

/**
 * Produces records to a topic over PLAINTEXT, in requests of `batchSize`, one after another (so records keep their
 * order per partition). Takes any iterable, so a generator can stream 200,000 records without holding them all.
 * Records without `partition` or `key` are spread over the partitions by kafkajs' default partitioner.
 *
 * @returns how many records were produced
 */
export async function produce(
  broker: KafkaCoordinates,
  topic: string,
  records: Iterable<Message>,
  options: ProduceOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  const acks = options.acks ?? -1;
  const producer = new Kafka(plaintextConfig(broker)).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let count = 0;
  try {
    let batch: Message[] = [];
    for (const record of records) {
      batch.push(record);
      if (batch.length === batchSize) {
        await producer.send({ topic, messages: batch, acks });
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await producer.send({ topic, messages: batch, acks });
    return count + batch.length;
  } finally {
    await producer.disconnect();
  }
}

/** A record read back by {@link consumeAll}. */
export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values decoded as UTF-8; a header repeated in the record gives an array. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Milliseconds since the epoch, as kafkajs gives it. */
  readonly timestamp: string;
}

/** Options of {@link consumeAll}. */
export interface ConsumeAllOptions {
  /** Stop once at least this many records were read. @default every record in the topic when called */
  readonly expected?: number;
  /** @default 30_000 */
  readonly timeoutMs?: number;
}

/**
 * Reads a topic from the beginning with a throw-away consumer group, e.g. to check a dead-letter topic. Returns
 * once `expected` records were read (possibly a few more, if more arrived in the same fetch), each once, sorted by partition
 * and offset. Commits nothing.
 *
 * @throws Error saying how many records were read, per partition, when fewer than expected arrive in `timeoutMs`
 */
export async function consumeAll(
  broker: KafkaCoordinates,
  topic: string,
  options: ConsumeAllOptions = {},
): Promise<ConsumedRecord[]> {
  const expected = options.expected ?? (await recordCount(broker, topic));
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (expected === 0) return [];
  const consumer = new Kafka(plaintextConfig(broker)).consumer({
    groupId: uniqueName('harness-reader'),
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 16 * 1024 * 1024,
  });
  // Keyed by partition and offset: a reader that rejoins (a broker restart, a slow join) fetches again from the
  // start, and a record read twice is still one record of the topic.
  const byPosition = new Map<string, ConsumedRecord>();
  const { promise: enough, resolve } = Promise.withResolvers<undefined>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        for (const message of batch.messages) {
          byPosition.set(
            `${String(batch.partition)}:${message.offset}`,
            toConsumedRecord(batch.partition, message),
          );
        }
        if (byPosition.size >= expected) resolve(undefined);
        return Promise.resolve();
      },
    });
    await withTimeout(enough, timeoutMs, () =>
      shortfall(topic, [...byPosition.values()], expected, timeoutMs),
    );
  } finally {
    await consumer.disconnect();
  }
  return [...byPosition.values()].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

function toConsumedRecord(
  partition: number,
  message: {
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: IHeaders;
    timestamp: string;
  },
): ConsumedRecord {
  const { offset, key, value, headers = {}, timestamp } = message;
  return { partition, offset: BigInt(offset), key, value, headers: decodeHeaders(headers), timestamp };
}

function decodeHeaders(headers: IHeaders): Record<string, string | string[]> {
  const decoded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    decoded[name] = Array.isArray(value) ? value.map((item) => item.toString()) : value.toString();
  }
  return decoded;
}

function shortfall(
  topic: string,
  records: readonly ConsumedRecord[],
  expected: number,
  timeoutMs: number,
): Error {
  const perPartition = new Map<number, number>();
  for (const { partition } of records) perPartition.set(partition, (perPartition.get(partition) ?? 0) + 1);
  const counts = [...perPartition].map(([partition, count]) => `${partition}: ${count}`).join(', ');
  return new Error(
    `consumeAll(${topic}) read ${records.length} of ${expected} records in ${timeoutMs} ms (by partition: ${counts || 'none'})`,
  );
}

async function withTimeout(done: Promise<unknown>, timeoutMs: number, onTimeout: () => Error): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(onTimeout());
    }, timeoutMs);
  });
  try {
    await Promise.race([done, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
