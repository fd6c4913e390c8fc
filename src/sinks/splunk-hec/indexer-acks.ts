/**
 * Indexer acknowledgement (reference/splunk-hec.md §6), one poller per endpoint and channel: ack state lives on the
 * indexer that issued the id, so its ids are asked about on that endpoint only. Every `pollIntervalMs` all pending
 * ids of the channel go to `/ack` in one request; a `true` is reported once, so it settles its waiter at once.
 * An id without `true` after `timeoutMs` times out (the batch is sent again, as SCK does after
 * `splunk.hec.event.timeout`). A slot semaphore bounds the requests awaiting acks (Vector's `max_pending_acks`), so
 * a slow indexer turns into backpressure rather than memory.
 * @module
 */
import type { HecResponse } from './client.ts';

/** How the wait for one ack id ended. */
export type AckOutcome =
  /** `/ack` said `true`: indexed. */
  | 'acked'
  /** No `true` within the event timeout. */
  | 'timeout'
  /** The indexer forgot the channel: the id will never be reported. */
  | 'lost'
  /** The token has acknowledgement off (`/ack` 400 code 14): HTTP 200 is all there is. */
  | 'unsupported'
  /** The sink is closing. */
  | 'closed';

/** What one `/ack` query returned. */
export type AckAnswer =
  | { readonly kind: 'statuses'; readonly acks: Readonly<Record<string, boolean>> }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'channel-lost' }
  | { readonly kind: 'failed' };

/**
 * What an `/ack` response means: statuses on 200; 400 code 14 (the token has ack off: settle on HTTP 200, reference
 * §5); 400 code 10 or 11 on the channel (the indexer does not know it: what awaited it is lost); anything else, or
 * no response, tells nothing (ask again next round; the event timeout bounds the wait).
 */
export function ackAnswerOf(response: HecResponse | undefined): AckAnswer {
  if (response === undefined) return { kind: 'failed' };
  const { status, reply } = response;
  if (status === 200 && typeof reply?.acks === 'object') return { kind: 'statuses', acks: reply.acks };
  if (status === 400 && reply?.code === 14) return { kind: 'disabled' };
  if (status === 400 && (reply?.code === 10 || reply?.code === 11)) return { kind: 'channel-lost' };
  return { kind: 'failed' };
}

/** Settings and hooks of a poller. */
export interface AckPollerOptions {
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  /** Asks `/ack` about `ids` on the poller's channel; must not throw. */
  readonly query: (ids: readonly number[]) => Promise<AckAnswer>;
  /** Reports each settled wait (metrics). */
  readonly settled?: (outcome: AckOutcome, waitedMs: number) => void;
  /**
   * Requests that may be in flight at once on the channel: a new id more than this far below the highest one seen
   * cannot be a late answer, so the indexer restarted the channel's numbering. Default 1.
   */
  readonly concurrency?: number;
  /** Reports the number of pending ids whenever it changes (metrics). */
  readonly pendingChanged?: (pending: number) => void;
  readonly now?: () => number;
}

/** Ids per `/ack` request, so that a huge backlog does not make one huge body. */
const IDS_PER_QUERY = 10_000;

interface Waiter {
  readonly sinceMs: number;
  readonly resolve: (outcome: AckOutcome) => void;
}

/** Polls `/ack` for one channel. */
export class AckPoller {
  readonly #options: AckPollerOptions;
  readonly #now: () => number;
  readonly #pending = new Map<number, Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Highest id registered since the channel's numbering last (re)started. */
  #highest = -1;

  constructor(options: AckPollerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Ack ids awaiting `true`. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Waits until `/ack` reports `ackId` indexed, or the wait ends otherwise. An id that is already pending, or far
   * below the highest one seen, means the indexer restarted the channel's numbering (it forgot the channel, e.g. on
   * restart): every earlier id is lost, and their batches are sent again at once rather than at the timeout.
   */
  wait(ackId: number): Promise<AckOutcome> {
    if (this.#closed) return Promise.resolve('closed');
    const restarted = ackId + (this.#options.concurrency ?? 1) < this.#highest;
    if (this.#pending.has(ackId) || restarted) this.loseAll();
    if (restarted) this.#highest = ackId;
    this.#highest = Math.max(this.#highest, ackId);
    const { promise, resolve } = Promise.withResolvers<AckOutcome>();
    this.#pending.set(ackId, { sinceMs: this.#now(), resolve });
    this.#options.pendingChanged?.(this.#pending.size);
    this.#schedule();
    return promise;
  }

  /** The channel is gone (forgotten by the indexer, new LB session): every pending id is lost. */
  loseAll(): void {
    this.#settleAll('lost');
  }

  /** Settles every wait with `closed` and stops polling. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#settleAll('closed');
  }

  /** One round: ask about every pending id, settle what is known, expire what waited too long. */
  async poll(): Promise<void> {
    const ids = [...this.#pending.keys()];
    for (let start = 0; start < ids.length && !this.#closed; start += IDS_PER_QUERY) {
      const answer = await this.#options.query(ids.slice(start, start + IDS_PER_QUERY));
      if (answer.kind === 'disabled' || answer.kind === 'channel-lost') {
        this.#settleAll(answer.kind === 'disabled' ? 'unsupported' : 'lost');
        return;
      }
      if (answer.kind === 'statuses') this.#settleIndexed(answer.acks);
    }
    const oldest = this.#now() - this.#options.timeoutMs;
    for (const [id, waiter] of this.#pending) if (waiter.sinceMs <= oldest) this.#settle(id, 'timeout');
  }

  #settleIndexed(acks: Readonly<Record<string, boolean>>): void {
    for (const [id, indexed] of Object.entries(acks)) if (indexed) this.#settle(Number(id), 'acked');
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed || this.#pending.size === 0) return;
    this.#timer = setTimeout(() => {
      void this.poll().finally(() => {
        this.#timer = undefined;
        this.#schedule();
      });
    }, this.#options.pollIntervalMs);
  }

  #settle(id: number, outcome: AckOutcome): void {
    const waiter = this.#pending.get(id);
    if (waiter === undefined) return;
    this.#pending.delete(id);
    this.#options.settled?.(outcome, this.#now() - waiter.sinceMs);
    this.#options.pendingChanged?.(this.#pending.size);
    waiter.resolve(outcome);
  }

  #settleAll(outcome: AckOutcome): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, outcome);
  }
}

/** A counting semaphore: at most `size` holders; waiters are served in arrival order. */
export class Slots {
  readonly #size: number;
  #used = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  get used(): number {
    return this.#used;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.#used >= this.#size) {
      const { promise, resolve, reject } = Promise.withResolvers<undefined>();
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(wake);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal.reason as Error);
      };
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(undefined);
      };
      signal.throwIfAborted();
      this.#waiting.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
      await promise;
    } else {
      this.#used += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#used -= 1;
      else next();
    };
  }
}
