/**
 * Drives one sink for a connector: closes batches by count, bytes and linger time, keeps up to `maxInFlight` sends
 * going, retries a whole batch with backoff while the sink says `retry`, and reports what became durable, what was
 * refused for good, and fatal errors. It never decides about checkpoints.
 * @module
 */
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import { asBridgeError, type BridgeError } from './errors.ts';
import type { LogEvent } from './event.ts';
import type { SendOutcome, Sink, SinkBatch } from './sink.ts';

/** What a driver reports to its connector. */
export interface DeliveryListener {
  /** These events are durable at the sink. */
  delivered(events: readonly LogEvent[]): void;
  /** The sink refused this event for good (at encode or send time): dead-letter its record. */
  rejected(event: LogEvent, cause: BridgeError): void;
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
  readonly events: LogEvent[];
  readonly payloads: unknown[];
  bytes: number;
}

/** Batches, sends and retries for one sink. */
export class SinkDriver {
  readonly #sink: Sink;
  readonly #listener: DeliveryListener;
  readonly #options: SinkDriverOptions;
  #open: OpenBatch | undefined;
  #linger: NodeJS.Timeout | undefined;
  readonly #queue: SinkBatch<unknown>[] = [];
  #inFlight = 0;
  #retrying = 0;
  #lastError: BridgeError | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(sink: Sink, listener: DeliveryListener, options: SinkDriverOptions) {
    this.#sink = sink;
    this.#listener = listener;
    this.#options = options;
    options.signal.addEventListener(
      'abort',
      () => {
        this.#wake();
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

  /** The last transient or fatal error, cleared by the next success. */
  get lastError(): BridgeError | undefined {
    return this.#lastError;
  }

  /** Encodes an event and adds it to the open batch; a refused encoding is reported at once. */
  push(event: LogEvent): void {
    let encoded;
    try {
      encoded = this.#sink.encode(event);
    } catch (error) {
      const cause = asBridgeError(error);
      if (cause.disposition === 'fatal') this.#listener.fatal(cause);
      else this.#listener.rejected(event, cause);
      return;
    }
    const policy = this.#sink.batch;
    if (this.#open !== undefined && this.#open.bytes + encoded.bytes > policy.maxBytes) this.flush();
    const open = (this.#open ??= this.#startBatch());
    open.events.push(event);
    open.payloads.push(encoded.payload);
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
    this.#queue.push({ events: open.events, payloads: open.payloads, bytes: open.bytes });
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
    return { events: [], payloads: [], bytes: 0 };
  }

  #pump(): void {
    while (this.#inFlight < this.#sink.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.shift();
      if (batch === undefined) break;
      this.#inFlight += 1;
      void this.#deliver(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        this.#wakeIfIdle();
      });
    }
  }

  async #deliver(batch: SinkBatch<unknown>): Promise<void> {
    const backoff = new Backoff(this.#options.backoff);
    const signal = this.#options.signal;
    let waiting = false;
    try {
      while (!signal.aborted) {
        const outcome = await this.#sendOnce(batch);
        if (outcome.kind !== 'retry') {
          this.#settle(batch, outcome);
          return;
        }
        if (!waiting) this.#retrying += 1;
        waiting = true;
        this.#lastError = outcome.cause;
        const delayMs = Math.max(backoff.next(), outcome.retryAfterMs ?? 0);
        this.#listener.retrying(outcome.cause, delayMs);
        await sleep(delayMs, signal);
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

  #settle(batch: SinkBatch<unknown>, outcome: Exclude<SendOutcome, { kind: 'retry' }>): void {
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
