/**
 * The sink contract. A sink encodes events, sends batches and reports, per batch, what is durable: `send` resolves
 * only once the data is durably accepted (HEC 200 and, with indexer acknowledgement, `/ack` true; Solace
 * ACKNOWLEDGED_MESSAGE; MQTT PUBACK). Retrying what is not durable yet, in order for an ordered sink,
 * dead-lettering and checkpoints are the engine's work (`sink-driver.ts`).
 * @module
 */
import type { BridgeError } from './errors.ts';
import type { Carrier, LogEvent } from './event.ts';

/** When the engine closes a batch: whichever limit is reached first. */
export interface BatchPolicy {
  /** Events per batch. */
  readonly maxEvents: number;
  /** Encoded bytes per batch (before compression). */
  readonly maxBytes: number;
  /** How long the first event of a batch may wait for more, ms. */
  readonly lingerMs: number;
}

/** An event encoded for one sink. */
export interface Encoded<P> {
  readonly payload: P;
  /** Encoded size in bytes, counted against `BatchPolicy.maxBytes`. */
  readonly bytes: number;
}

/** What the engine hands to `send`: the events' encodings and the records each one carries, index-aligned. */
export interface SinkBatch<P> {
  readonly events: readonly Carrier[];
  readonly payloads: readonly P[];
  readonly bytes: number;
}

/** One event of a batch that the destination refused for good. */
export interface Rejection {
  /** Index in the batch. */
  readonly index: number;
  readonly cause: BridgeError;
}

/**
 * The result of one `send`:
 * - `delivered`: every event is durable.
 * - `retry`: the batch is not done; the engine sends what is left again after a backoff (at least `retryAfterMs`).
 *   `delivered` lists the events (batch indexes) that did become durable and `rejected` those refused for good: the
 *   engine settles them at once and resends only the others, as a new, smaller batch. Without either, nothing more
 *   of the batch is durable, and the engine resends the same batch object (a sink that keeps per-event progress
 *   keyed by the batch, as the HEC sink does, then resends only what is not durable yet).
 * - `partial`: every event is durable except `rejected`, which are dead-lettered.
 * - `fatal`: the sink cannot work as configured; the connector fails.
 */
export type SendOutcome =
  | {
      readonly kind: 'retry';
      readonly cause: BridgeError;
      readonly retryAfterMs?: number;
      readonly delivered?: readonly number[];
      readonly rejected?: readonly Rejection[];
    }
  | { readonly kind: 'delivered' }
  | { readonly kind: 'partial'; readonly rejected: readonly Rejection[] }
  | { readonly kind: 'fatal'; readonly cause: BridgeError };

/** Health a sink reports for status output. */
export interface SinkHealth {
  readonly healthy: boolean;
  /** Human-readable detail, e.g. which endpoint is backed off. Never contains secrets. */
  readonly detail?: string;
  /** Why it is unhealthy, when a sink knows it without a failed send (a lost connection it waits out). */
  readonly error?: BridgeError;
}

/** A destination. `P` is the sink's encoded form of one event. */
export interface Sink<P = unknown> {
  /** Unique within the connector, e.g. `splunk-hec`. */
  readonly id: string;
  readonly batch: BatchPolicy;
  /** Concurrent `send` calls the engine may make. */
  readonly maxInFlight: number;
  /**
   * True when the destination keeps the order of `send` calls (and of events within a batch) for its subscribers,
   * as a broker's topic does: the engine then resends failed batches in their order, before any later batch, so that
   * a subscriber sees each partition's events in offset order across retries. Default false (HEC: Splunk orders by
   * event time), and failed batches are retried independently.
   */
  readonly ordered?: boolean;
  /** Opens connections; the engine retries it with backoff until it resolves, or fails on a fatal BridgeError. */
  connect(signal: AbortSignal): Promise<void>;
  /**
   * Encodes one event.
   * @throws BridgeError with disposition `reject` (e.g. over the size limit, invalid topic): the event is
   *   dead-lettered; `fatal`: the connector fails.
   */
  encode(event: LogEvent): Encoded<P>;
  /** Sends a batch; must not throw for destination errors (return an outcome), and honours `signal`. */
  send(batch: SinkBatch<P>, signal: AbortSignal): Promise<SendOutcome>;
  /** Soft stop: finish what is in flight within the deadline, then release connections. */
  close(drainDeadlineMs: number): Promise<void>;
  /** Current health, if the sink tracks more than its last send. */
  health?(): SinkHealth;
}
