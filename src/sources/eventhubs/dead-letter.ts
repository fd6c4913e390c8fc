/**
 * Dead letters to an event hub through `EventHubProducerClient`: the original body, its application properties, and
 * Kafka Connect's `__connect.errors.*` context as application properties; the engine settles the record only when
 * the send is acknowledged.
 * @module
 */
import type { EventHubProducerClient } from '@azure/event-hubs';
import {
  type DeadLetterQueue,
  deadLetterContext,
  type Failure,
  type SourceRecord,
} from '../../engine/index.ts';
import { classifyEventHubsError } from './errors.ts';

/** Room kept for properties and the AMQP envelope when truncating. */
const ENVELOPE_BYTES = 16 * 1024;

/** Where dead letters go and how large one may be. */
export interface EventHubsDeadLetterSettings {
  /** The dead-letter event hub. */
  readonly topic: string;
  /** Largest event it takes (`errors.deadletterqueue.max.bytes`); a longer value is cut to fit. */
  readonly maxRecordBytes: number;
  /** Told after a cut letter was sent, to count the loss. */
  readonly onTruncated?: (originalBytes: number, keptBytes: number) => void;
}

/** Writes dead letters to an event hub. */
export class EventHubsDeadLetterQueue implements DeadLetterQueue {
  readonly #settings: EventHubsDeadLetterSettings;
  readonly #open: () => Promise<EventHubProducerClient>;
  #producer: Promise<EventHubProducerClient> | undefined;

  constructor(settings: EventHubsDeadLetterSettings, open: () => Promise<EventHubProducerClient>) {
    this.#settings = settings;
    this.#open = open;
  }

  async write(record: SourceRecord, failure: Failure): Promise<void> {
    try {
      this.#producer ??= this.#open();
      const producer = await this.#producer;
      const properties: Record<string, string> = {};
      for (const [name, value] of Object.entries(record.headers)) properties[name] = value.toString('utf8');
      Object.assign(properties, deadLetterContext(record, failure));
      const original = record.value ?? Buffer.alloc(0);
      const room = this.#settings.maxRecordBytes - ENVELOPE_BYTES;
      const body = original.length > room ? original.subarray(0, Math.max(0, room)) : original;
      if (body !== original) properties['__logbridge.errors.truncated'] = String(original.length);
      await producer.sendBatch([{ body, properties }]);
      if (body !== original) this.#settings.onTruncated?.(original.length, body.length);
    } catch (error) {
      this.#producer = undefined;
      throw classifyEventHubsError(error, `write to the dead-letter event hub ${this.#settings.topic}`);
    }
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await (await producer)?.close();
  }
}
