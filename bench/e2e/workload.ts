/**
 * The records of the end-to-end benchmark: the lab's Fluent Bit records (`out_kafka` JSON of AKS container logs,
 * ~1.1 KiB median, a few long lines up to 70 KiB; lab/generator), produced once as a backlog, or at a steady rate
 * for the latency runs.
 * @module
 */
import { Kafka, Partitioners, type Message } from 'kafkajs';
import { createWorkload } from '../../lab/generator/index.ts';
import { plaintextConfig, produce, type KafkaCoordinates } from '../../test/support/kafka/index.ts';

/** `count` record values, deterministic for the seed. */
export function* recordValues(count: number, seed = 'bench-e2e'): Generator<Buffer> {
  const workload = createWorkload({ seed, fluentBitShare: 1 });
  let made = 0;
  while (made < count) {
    for (const record of workload.next()) {
      if (made === count) return;
      made += 1;
      yield record.value;
    }
  }
}

/** Produces `count` records to `topic`; returns their total value bytes. */
export async function produceBacklog(
  broker: KafkaCoordinates,
  topic: string,
  count: number,
): Promise<number> {
  let bytes = 0;
  const messages = function* (): Generator<Message> {
    for (const value of recordValues(count)) {
      bytes += value.length;
      yield { value };
    }
  };
  await produce(broker, topic, messages(), { batchSize: 500 });
  return bytes;
}

/** Records per produce request of the steady producer (under the broker's 1 MiB default request size). */
const BATCH = 400;

/**
 * Produces `rate` records a second for `seconds`, each stamped (Kafka timestamp) when its request is built, so
 * that the receiver measures record time → arrival. Requests go one after another; when one is slow the next
 * carries what fell due meanwhile, so the rate holds unless the producer itself cannot keep up.
 * @returns how many records were produced and the rate achieved
 */
export async function produceAtRate(
  broker: KafkaCoordinates,
  topic: string,
  options: { readonly rate: number; readonly seconds: number; readonly pool: readonly Buffer[] },
): Promise<{ count: number; rate: number }> {
  const producer = new Kafka(plaintextConfig(broker)).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const total = Math.round(options.rate * options.seconds);
  const started = performance.now();
  let sent = 0;
  try {
    while (sent < total) {
      const due = Math.min(total, Math.floor((options.rate * (performance.now() - started)) / 1000)) - sent;
      if (due <= 0) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      const count = Math.min(due, BATCH);
      const timestamp = String(Date.now());
      const messages: Message[] = [];
      for (let i = 0; i < count; i += 1) {
        messages.push({ value: options.pool[(sent + i) % options.pool.length] ?? null, timestamp });
      }
      await producer.send({ topic, messages, acks: 1 });
      sent += count;
    }
  } finally {
    await producer.disconnect();
  }
  return { count: sent, rate: sent / ((performance.now() - started) / 1000) };
}
