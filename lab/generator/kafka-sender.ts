/**
 * The generator's Kafka producer (kafkajs), reaching either the Event Hubs Kafka endpoint the way Event Hubs wants
 * (SASL_SSL, PLAIN, user `$ConnectionString`, password the connection string — reference/eventhubs-kafka.md §1) or
 * a plain broker. Requests stay under Event Hubs' 1 MB request limit.
 * @module
 */
import { Kafka, logLevel, Partitioners, type KafkaConfig, type Message, type Producer } from 'kafkajs';
import { parseConnectionString } from '../../src/sources/kafka/index.ts';
import type { SendRecords } from './rate.ts';
import type { LabRecord } from './workload.ts';

/** Where to produce. */
export interface KafkaTarget {
  /** Event Hubs namespace connection string: SASL_SSL to its Endpoint (port 9093 unless the Endpoint has one). */
  readonly connectionString?: string | undefined;
  /** `host:port`; replaces the connection string's broker, or alone means PLAINTEXT. */
  readonly bootstrap?: string | undefined;
  /** PEM of a private CA to trust (the lab broker's self-signed certificate). */
  readonly caPem?: string | undefined;
}

/** Event Hubs closes the connection on requests of 1,046,528 bytes or more; leave room for the framing. */
const maxRequestBytes = 900_000;

/**
 * kafkajs settings for a target.
 * @throws Error when there is neither a connection string nor a bootstrap address, or the string is malformed
 */
export function kafkaConfigFor(
  target: KafkaTarget,
  clientId = 'logbridge-lab-generator',
): KafkaConfig & { brokers: string[] } {
  const common = { clientId, logLevel: logLevel.NOTHING, connectionTimeout: 10_000, requestTimeout: 60_000 };
  if (target.connectionString === undefined) {
    if (target.bootstrap === undefined) {
      throw new Error('give an Event Hubs connection string (SASL_SSL) or a bootstrap address (PLAINTEXT)');
    }
    return { ...common, brokers: [target.bootstrap] };
  }
  const endpoint = parseConnectionString(target.connectionString);
  const broker = target.bootstrap ?? endpoint.broker;
  const servername = broker.replace(/:\d+$/, '');
  return {
    ...common,
    brokers: [broker],
    ssl: target.caPem === undefined ? { servername } : { ca: [target.caPem], servername },
    sasl: { mechanism: 'plain', username: '$ConnectionString', password: target.connectionString },
  };
}

/** A connected producer. */
export interface KafkaSender {
  readonly send: SendRecords;
  /** `host:port (SASL_SSL)` or `host:port (PLAINTEXT)`. */
  readonly description: string;
  disconnect(): Promise<void>;
}

/** Connects a producer (acks from all in-sync replicas, no topic auto-creation: Event Hubs creates none). */
export async function connectSender(target: KafkaTarget): Promise<KafkaSender> {
  const config = kafkaConfigFor(target);
  const producer = new Kafka(config).producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const security = config.sasl === undefined ? 'PLAINTEXT' : 'SASL_SSL';
  return {
    send: (records) => sendInChunks(producer, records),
    description: `${config.brokers.join(',')} (${security})`,
    disconnect: () => producer.disconnect(),
  };
}

async function sendInChunks(producer: Producer, records: readonly LabRecord[]): Promise<void> {
  let chunk: LabRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.value.length + (record.key?.length ?? 0) + 64;
    if (chunk.length > 0 && bytes + size > maxRequestBytes) {
      await sendChunk(producer, chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) await sendChunk(producer, chunk);
}

async function sendChunk(producer: Producer, records: readonly LabRecord[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, key, value, headers } of records) {
    const messages = byTopic.get(topic) ?? [];
    messages.push({ key, value, headers: { ...headers } });
    byTopic.set(topic, messages);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}
