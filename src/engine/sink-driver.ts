/**
 * Drives one sink for a connector: closes batches by count, bytes and linger time, keeps up to `maxInFlight` sends
 * going, retries what a failed send left undone with backoff, and reports what became durable, what was refused for
 * good, and fatal errors. It never decides about checkpoints.
 *
 * Retries resend only what is not durable: a `retry` outcome that names delivered or rejected events settles them
 * at once, and the next attempt carries the rest. For an ordered sink (`Sink.ordered`: solace, mqtt) retries also
 * keep the order of batches: once one fails, no new batch is sent, and each failed batch is sent again only when
 * every earlier batch has settled, one after the other, so that a subscriber sees each partition's events in offset
 * order whatever the backoffs draw. In normal operation the window stays `maxInFlight` batches wide. The gate is
 * sink-wide, not per partition: a failure of a broker sink is a failure of its one connection or publish window,
 * which every partition's batches share.
 * @module
 */
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import { asBridgeError, type BridgeError } from './errors.ts';
import { type Carrier, carrierOf, type LogEvent } from './event.ts';
import type { SendOutcome, Sink, SinkBatch } from './sink.ts';

/** What a driver reports to its connector. */
export interface DeliveryListener {
  /** These events are durable at the sink. */
  delivered(events: readonly Carrier[]): void;
  /** The sink refused this event for good (at encode or send time): dead-letter its record. */
  rejected(event: Carrier, cause: BridgeError): void;
  /** The sink cannot work as configured. */
  fatal(cause: BridgeError): void;
  /** A send failed transiently and will be retried after a backoff. */
  retrying(cause: BridgeError, delayMs: number): void;
}

/** Driver settings. */
export interface SinkDriverOptions {
  readonly backoff?: BackoffOptions;
  /** Aborts sends and retry waits when the connector stops for good. */
  readonly signal: AbortSignal;
}

interface OpenBatch {
  readonly events: Carrier[];
  readonly payloads: unknown[];
  /** Encoded bytes of each event, to size what is left of the batch after a partial success. */
  readonly sizes: number[];
  bytes: number;
}

/** A batch from its flush to its settlement: what is still to send of it. */
interface Flight {
  batch: SinkBatch<unknown>;
  sizes: readonly number[];
}

type Settled = Exclude<SendOutcome, { kind: 'retry' }>;

/** Batches, sends and retries for one sink. */
export class SinkDriver {
  readonly #sink: Sink;
  readonly #listener: DeliveryListener;
  readonly #options: SinkDriverOptions;
  readonly #ordered: boolean;
  #open: OpenBatch | undefined;
  #linger: NodeJS.Timeout | undefined;
  readonly #queue: Flight[] = [];
  #inFlight = 0;
  #retrying = 0;
  /** Ordered sinks: batches sent and not settled, oldest first. */
  readonly #active: Flight[] = [];
  /** Ordered sinks: failed batches waiting until they are the oldest unsettled one. */
  readonly #turns = new Map<Flight, () => void>();
  #lastError: BridgeError | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(sink: Sink, listener: DeliveryListener, options: SinkDriverOptions) {
    this.#sink = sink;
    this.#listener = listener;
    this.#options = options;
    this.#ordered = sink.ordered === true;
    options.signal.addEventListener(
      'abort',
      () => {
        this.#wake();
        for (const turn of this.#turns.values()) turn();
      },
      { once: true },
    );
  }

  get sink(): Sink {
    return this.#sink;
  }

  /** Batches currently being retried after a transient failure. */
  get retrying(): number {
    return this.#retrying;
  }

  /** The last transient or fatal error (cleared by the next success), else why the sink says it is unhealthy. */
  get lastError(): BridgeError | undefined {
    return this.#lastError ?? this.#sink.health?.().error;
  }

  /**
   * Encodes an event and adds it to the open batch, keeping only its `carrier` (shared by the connector's sinks);
   * a refused encoding is reported at once.
   */
  push(event: LogEvent, carrier: Carrier = carrierOf(event)): void {
    let encoded;
    try {
      encoded = this.#sink.encode(event);
    } catch (error) {
      const cause = asBridgeError(error);
      if (cause.disposition === 'fatal') this.#listener.fatal(cause);
      else this.#listener.rejected(carrier, cause);
      return;
    }
    const policy = this.#sink.batch;
    if (this.#open !== undefined && this.#open.bytes + encoded.bytes > policy.maxBytes) this.flush();
    const open = (this.#open ??= this.#startBatch());
    open.events.push(carrier);
    open.payloads.push(encoded.payload);
    open.sizes.push(encoded.bytes);
    open.bytes += encoded.bytes;
    if (open.events.length >= policy.maxEvents || open.bytes >= policy.maxBytes) this.flush();
  }

  /** Closes the open batch now and queues it for sending. */
  flush(): void {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    this.#queue.push({
      batch: { events: open.events, payloads: open.payloads, bytes: open.bytes },
      sizes: open.sizes,
    });
    this.#pump();
  }

  /** Resolves when nothing is open, queued or in flight (flush first), or when the signal aborts. */
  idle(): Promise<void> {
    if (this.#isIdle() || this.#options.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #startBatch(): OpenBatch {
    this.#linger = setTimeout(() => {
      this.flush();
    }, this.#sink.batch.lingerMs);
    return { events: [], payloads: [], sizes: [], bytes: 0 };
  }

  #pump(): void {
    // An ordered sink sends nothing new while failed batches are being resent: they must arrive first.
    if (this.#ordered && this.#retrying > 0) return;
    while (this.#inFlight < this.#sink.maxInFlight && this.#queue.length > 0) {
      const flight = this.#queue.shift();
      if (flight === undefined) break;
      this.#inFlight += 1;
      if (this.#ordered) this.#active.push(flight);
      void this.#deliver(flight).finally(() => {
        this.#inFlight -= 1;
        if (this.#ordered) this.#retire(flight);
        this.#pump();
        this.#wakeIfIdle();
      });
    }
  }

  async #deliver(flight: Flight): Promise<void> {
    const backoff = new Backoff(this.#options.backoff);
    const signal = this.#options.signal;
    let waiting = false;
    try {
      while (!signal.aborted) {
        const outcome = await this.#sendOnce(flight.batch);
        if (outcome.kind !== 'retry') {
          this.#settle(flight.batch, outcome);
          return;
        }
        if (!waiting) this.#retrying += 1;
        waiting = true;
        this.#lastError = outcome.cause;
        this.#progress(flight, outcome);
        if (flight.batch.events.length === 0) return;
        const delayMs = Math.max(backoff.next(), outcome.retryAfterMs ?? 0);
        this.#listener.retrying(outcome.cause, delayMs);
        await sleep(delayMs, signal);
        if (this.#ordered) await this.#turn(flight);
      }
    } finally {
      if (waiting) this.#retrying -= 1;
    }
  }

  async #sendOnce(batch: SinkBatch<unknown>): Promise<SendOutcome> {
    try {
      return await this.#sink.send(batch, this.#options.signal);
    } catch (error) {
      const cause = asBridgeError(error);
      return cause.disposition === 'fatal' ? { kind: 'fatal', cause } : { kind: 'retry', cause };
    }
  }

  /** Settles what a failed send did achieve, and leaves in the flight only what is still to send. */
  #progress(flight: Flight, outcome: Extract<SendOutcome, { kind: 'retry' }>): void {
    const { delivered = [], rejected = [] } = outcome;
    if (delivered.length === 0 && rejected.length === 0) return;
    const { events, payloads } = flight.batch;
    const done = new Set<number>(delivered);
    this.#listener.delivered(delivered.flatMap((index) => events[index] ?? []));
    for (const { index, cause } of rejected) {
      const event = events[index];
      done.add(index);
      if (event !== undefined) this.#listener.rejected(event, cause);
    }
    const keep = events.map((_, index) => index).filter((index) => !done.has(index));
    const sizes = keep.map((index) => flight.sizes[index] ?? 0);
    flight.sizes = sizes;
    flight.batch = {
      events: keep.map((index) => events[index] as Carrier),
      payloads: keep.map((index) => payloads[index]),
      bytes: sizes.reduce((sum, size) => sum + size, 0),
    };
  }

  /** Ordered sinks: resolves once every batch sent before this one has settled (or the driver stops). */
  #turn(flight: Flight): Promise<void> {
    if (this.#active[0] === flight || this.#options.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.#turns.set(flight, () => {
        this.#turns.delete(flight);
        resolve();
      });
    });
  }

  /** Ordered sinks: a batch settled; the oldest one left may resend if it waits for its turn. */
  #retire(flight: Flight): void {
    const index = this.#active.indexOf(flight);
    if (index >= 0) this.#active.splice(index, 1);
    const next = this.#active[0];
    if (next !== undefined) this.#turns.get(next)?.();
  }

  #settle(batch: SinkBatch<unknown>, outcome: Settled): void {
    if (outcome.kind === 'fatal') {
      this.#lastError = outcome.cause;
      this.#listener.fatal(outcome.cause);
      return;
    }
    this.#lastError = undefined;
    if (outcome.kind === 'delivered') {
      this.#listener.delivered(batch.events);
      return;
    }
    const refused = new Map(outcome.rejected.map((r) => [r.index, r.cause]));
    this.#listener.delivered(batch.events.filter((_, index) => !refused.has(index)));
    for (const [index, cause] of refused) {
      const event = batch.events[index];
      if (event !== undefined) this.#listener.rejected(event, cause);
    }
  }

  #isIdle(): boolean {
    return this.#open === undefined && this.#queue.length === 0 && this.#inFlight === 0;
  }

  #wakeIfIdle(): void {
    if (this.#isIdle()) this.#wake();
  }

  #wake(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
