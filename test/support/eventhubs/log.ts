/**
 * The peer's event hubs: per partition an append-only log of events with Event Hubs' coordinates (sequence number
 * from 0, offset = the event's byte position as a decimal string, enqueued time), consumer groups, and a way to
 * drop the oldest events as retention would.
 */
import type { MessageAnnotations } from 'rhea';

/** One stored event: what the producer sent, plus the broker's coordinates. */
export interface StoredEvent {
  readonly sequenceNumber: number;
  /** Byte position in the partition, decimal (Event Hubs' offsets are opaque strings to clients). */
  readonly offset: string;
  readonly enqueuedTimeMs: number;
  readonly partitionKey: string | undefined;
  /** The producer's message sections, re-sent as they came (body, properties, application properties). */
  readonly message: Readonly<Record<string, unknown>>;
  readonly sizeBytes: number;
}

/** Wakes whoever waits for new events on a partition. */
export type AppendListener = () => void;

/** One partition's log. */
export class PartitionLog {
  readonly id: string;
  #events: StoredEvent[] = [];
  /** Sequence number of `#events[0]`. */
  #first = 0;
  #nextOffset = 0;
  #lastEnqueuedMs = 0;
  readonly #listeners = new Set<AppendListener>();

  constructor(id: string) {
    this.id = id;
  }

  /** Sequence number of the oldest retained event (of the next one, when empty). */
  get beginSequenceNumber(): number {
    return this.#first;
  }

  /** Sequence number of the newest event; -1 when none was ever enqueued. */
  get lastSequenceNumber(): number {
    return this.#first + this.#events.length - 1;
  }

  get last(): StoredEvent | undefined {
    return this.#events.at(-1);
  }

  get size(): number {
    return this.#events.length;
  }

  /** Appends one event; enqueued times never go backwards. */
  append(
    message: Readonly<Record<string, unknown>>,
    partitionKey: string | undefined,
    sizeBytes: number,
  ): StoredEvent {
    this.#lastEnqueuedMs = Math.max(Date.now(), this.#lastEnqueuedMs);
    const event: StoredEvent = {
      sequenceNumber: this.#first + this.#events.length,
      offset: String(this.#nextOffset),
      enqueuedTimeMs: this.#lastEnqueuedMs,
      partitionKey,
      message,
      sizeBytes,
    };
    this.#nextOffset += Math.max(1, sizeBytes);
    this.#events.push(event);
    for (const listener of this.#listeners) listener();
    return event;
  }

  /** The event with this sequence number, if retained. */
  at(sequenceNumber: number): StoredEvent | undefined {
    return this.#events[sequenceNumber - this.#first];
  }

  /** Index (sequence number) of the first retained event matching `accept`, or the next sequence number. */
  firstWhere(accept: (event: StoredEvent) => boolean): number {
    const index = this.#events.findIndex(accept);
    return index === -1 ? this.#first + this.#events.length : this.#first + index;
  }

  /** Drops the `count` oldest events, as retention does. */
  expire(count: number): void {
    const dropped = Math.min(count, this.#events.length);
    this.#events = this.#events.slice(dropped);
    this.#first += dropped;
  }

  onAppend(listener: AppendListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** An event hub: partitions and consumer groups (`$Default` always exists, as on Event Hubs). */
export class EventHub {
  readonly name: string;
  readonly createdAt = new Date();
  readonly partitions: readonly PartitionLog[];
  readonly consumerGroups = new Set<string>(['$default']);
  #roundRobin = 0;

  constructor(name: string, partitionCount: number) {
    this.name = name;
    this.partitions = Array.from({ length: partitionCount }, (_, i) => new PartitionLog(String(i)));
  }

  partition(id: string): PartitionLog | undefined {
    return /^\d+$/.test(id) ? this.partitions[Number(id)] : undefined;
  }

  /** Consumer group names are case-insensitive on Event Hubs. */
  hasConsumerGroup(name: string): boolean {
    return this.consumerGroups.has(name.toLowerCase());
  }

  /**
   * The partition of an event sent to the hub itself: by its partition key's hash when it has one (not the
   * service's hash function: only "same key, same partition" is modelled), else round-robin.
   */
  route(partitionKey: string | undefined): PartitionLog {
    const count = this.partitions.length;
    const index = partitionKey === undefined ? this.#roundRobin++ % count : hash(partitionKey) % count;
    return this.partitions[index] as PartitionLog;
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The annotations Event Hubs adds to every event it delivers. */
export function deliveryAnnotations(event: StoredEvent): MessageAnnotations {
  const annotations: MessageAnnotations = {
    'x-opt-sequence-number': event.sequenceNumber,
    'x-opt-offset': event.offset,
    'x-opt-enqueued-time': new Date(event.enqueuedTimeMs),
  };
  if (event.partitionKey !== undefined) annotations['x-opt-partition-key'] = event.partitionKey;
  return annotations;
}
