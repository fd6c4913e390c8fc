/**
 * The generator's Event Hubs AMQP producer (`@azure/event-hubs`' EventHubProducerClient): the Fluent Bit records
 * also go to one event hub over AMQP, as a collector writing to a Basic-tier namespace would. A record's key (its
 * container's log path, or none) picks its partition, so that a container's lines stay in order.
 * @module
 */
import { EventHubProducerClient } from '@azure/event-hubs';
import type { LabRecord } from './workload.ts';

/** Where to produce over AMQP. */
export interface AmqpTarget {
  /** Namespace connection string; the event hub is `eventHub`. */
  readonly connectionString: string;
  readonly eventHub: string;
  /** `amqps://host:port` when the namespace is not reached at its own name (the lab's peer). */
  readonly endpoint?: string | undefined;
}

/** A connected AMQP producer. */
export interface AmqpSender {
  /** Sends the records (all of them: the caller picks which). */
  send(records: readonly LabRecord[]): Promise<void>;
  readonly description: string;
  close(): Promise<void>;
}

/** Opens the producer and reads the event hub's partitions. */
export async function connectAmqpSender(target: AmqpTarget): Promise<AmqpSender> {
  const producer = new EventHubProducerClient(
    target.connectionString,
    target.eventHub,
    target.endpoint === undefined ? {} : { customEndpointAddress: target.endpoint },
  );
  const partitions = await producer.getPartitionIds();
  let roundRobin = 0;
  return {
    async send(records) {
      const byPartition = new Map<string, { body: Buffer; properties: Record<string, string> }[]>();
      for (const record of records) {
        const index = record.key === null ? roundRobin++ : hash(record.key);
        const partition = partitions[index % partitions.length] ?? '0';
        const events = byPartition.get(partition) ?? [];
        events.push({ body: record.value, properties: { ...record.headers } });
        byPartition.set(partition, events);
      }
      for (const [partitionId, events] of byPartition) await sendAll(producer, partitionId, events);
    },
    description: `${target.eventHub} over AMQP`,
    close: () => producer.close(),
  };
}

/** Sends events in as few batches as fit (a batch is at most the hub's maximum message size). */
async function sendAll(
  producer: EventHubProducerClient,
  partitionId: string,
  events: readonly { body: Buffer; properties: Record<string, string> }[],
): Promise<void> {
  let batch = await producer.createBatch({ partitionId });
  for (const event of events) {
    if (batch.tryAdd(event)) continue;
    if (batch.count > 0) await producer.sendBatch(batch);
    batch = await producer.createBatch({ partitionId });
    if (!batch.tryAdd(event))
      throw new Error(`an event of ${event.body.length} bytes does not fit in a batch`);
  }
  if (batch.count > 0) await producer.sendBatch(batch);
}

/** A small stable string hash (FNV-1a, 32 bits). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
