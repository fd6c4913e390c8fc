/**
 * The send timeout of the topic-based sinks (`sol.send.timeout.ms`, `mqtt.send.timeout.ms`): a timer that finds a
 * message waiting longer than the timeout for its acknowledgement (ACKNOWLEDGED_MESSAGE, PUBACK) while the connection
 * is up, and tells the publisher, which reports it and resends what is unacknowledged. A message's wait counts from
 * when it was handed over or from when the connection came up again, whichever is later (the library resends on
 * reconnect). The clock is coarse (refreshed at each check): a message costs one property read, not a clock call.
 * @module
 */

/** What the watch observes of its publisher. */
export interface AckWatchOptions {
  readonly timeoutMs: number;
  /** True while the connection is up (messages can be acknowledged). */
  readonly linkUp: () => boolean;
  /** When the oldest unacknowledged message was handed over (a {@link AckWatch.now} value), if there is one. */
  readonly oldestSentAt: () => number | undefined;
  /** The oldest message waited `waitedMs` (≥ the timeout) while the connection was up. */
  readonly expired: (waitedMs: number) => void;
}

/** Checks acknowledgement waits on an unreferenced interval (it never keeps the process alive). */
export class AckWatch {
  readonly #options: AckWatchOptions;
  #now = Date.now();
  #linkUpAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AckWatchOptions) {
    this.#options = options;
  }

  /** The coarse clock, ms since the epoch: stamp a message with it when handing it over. */
  now(): number {
    return this.#now;
  }

  /** Starts checking (idempotent). */
  start(): void {
    if (this.#timer !== undefined) return;
    const everyMs = Math.min(1000, Math.max(25, Math.floor(this.#options.timeoutMs / 4)));
    this.#timer = setInterval(() => {
      this.check(Date.now());
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One check at `nowMs` (the interval calls it; tests may too). */
  check(nowMs: number): void {
    this.#now = nowMs;
    const options = this.#options;
    if (!options.linkUp()) {
      this.#linkUpAt = undefined;
      return;
    }
    this.#linkUpAt ??= nowMs;
    const sentAt = options.oldestSentAt();
    if (sentAt === undefined) return;
    const waitedMs = nowMs - Math.max(sentAt, this.#linkUpAt);
    if (waitedMs >= options.timeoutMs) {
      // The publisher resends: the wait of what it resends starts again now.
      this.#linkUpAt = nowMs;
      options.expired(waitedMs);
    }
  }
}
