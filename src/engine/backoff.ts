/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the n-th wait is
 * uniform in [0, min(cap, base · 2^n)], so many replicas retrying the same outage spread out instead of stampeding.
 * @module
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** First ceiling, ms. Default 100. */
  readonly baseMs?: number;
  /** Largest ceiling, ms. Default 30000. */
  readonly capMs?: number;
  /** Random source in [0, 1); injectable for tests. Default Math.random. */
  readonly random?: () => number;
}

/** Computes successive waits; `reset` after a success. */
export class Backoff {
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#baseMs = options.baseMs ?? 100;
    this.#capMs = options.capMs ?? 30_000;
    this.#random = options.random ?? Math.random;
    if (!(this.#baseMs > 0 && this.#capMs >= this.#baseMs)) {
      throw new RangeError('backoff needs 0 < base <= cap');
    }
  }

  /** @returns the next wait in ms, and counts an attempt. */
  next(): number {
    const ceiling = Math.min(this.#capMs, this.#baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.floor(this.#random() * ceiling);
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (without throwing: callers check the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `work` until `deadline` (epoch ms): true when it finished in time. */
export async function withDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  const wait = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, wait);
  });
  try {
    return await Promise.race([work.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
