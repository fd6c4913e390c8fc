/**
 * The dead-letter topic: the original record (key, value, headers) plus Kafka Connect's `__connect.errors.*`
 * context headers, written with acks=all; the engine settles the record only when this write is acknowledged.
 * @module
 */
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import {
  type DeadLetterQueue,
  deadLetterContext,
  type Failure,
  type SourceRecord,
} from '../../engine/index.ts';
import { classifyKafkaError } from './errors.ts';

/** Settings of the dead-letter writer. */
export interface DeadLetterConfig {
  readonly topic: string;
  /**
   * Largest record we write, bytes (Event Hubs refuses requests of 1 MB and more). A larger value is cut to fit and
   * the header `__logbridge.errors.truncated` carries its original size.
   */
  readonly maxRecordBytes: number;
  /** Told of each value cut to fit: its size and what was kept, bytes (the rest is lost: it is counted). */
  readonly onTruncated?: (originalBytes: number, keptBytes: number) => void;
}

/** Room kept for headers and the request envelope when truncating. */
const ENVELOPE_BYTES = 16 * 1024;

/** Writes dead letters to a Kafka topic (an event hub). */
export class KafkaDeadLetterQueue implements DeadLetterQueue {
  readonly #producer: Producer;
  readonly #config: DeadLetterConfig;
  #connected: Promise<void> | undefined;

  constructor(kafka: Kafka, config: DeadLetterConfig) {
    this.#config = config;
    this.#producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  }

  async write(record: SourceRecord, failure: Failure): Promise<void> {
    const { topic } = this.#config;
    try {
      this.#connected ??= this.#producer.connect();
      await this.#connected;
      const { value, truncatedFrom } = this.#fit(record);
      const headers: IHeaders = { ...record.headers, ...deadLetterContext(record, failure) };
      if (truncatedFrom !== undefined) headers['__logbridge.errors.truncated'] = String(truncatedFrom);
      await this.#producer.send({
        topic,
        acks: -1,
        messages: [{ key: record.key, value, headers, timestamp: String(record.timestampMs) }],
      });
      if (truncatedFrom !== undefined) this.#config.onTruncated?.(truncatedFrom, value?.length ?? 0);
    } catch (error) {
      this.#connected = undefined;
      throw classifyKafkaError(error, `write to the dead-letter topic ${topic}`);
    }
  }

  async close(): Promise<void> {
    await this.#producer.disconnect();
  }

  #fit(record: SourceRecord): { value: Buffer | null; truncatedFrom?: number } {
    const value = record.value;
    const room = this.#config.maxRecordBytes - ENVELOPE_BYTES - record.sizeBytes + (value?.length ?? 0);
    if (value === null || value.length <= room) return { value };
    return { value: value.subarray(0, Math.max(0, room)), truncatedFrom: value.length };
  }
}
