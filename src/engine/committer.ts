/**
 * Commits checkpoints: on a timer, only when a watermark moved, at most once per `minGapMs` per partition (Event
 * Hubs allows 4 commits/s per partition), and one commit at a time so completions never arrive out of order.
 * @module
 */
import type { Logger } from 'pino';
import { sleep } from './backoff.ts';
import { asBridgeError } from './errors.ts';
import type { CommitOffset } from './record.ts';
import { partitionKey } from './record.ts';
import type { Source } from './source.ts';
import type { CheckpointTracker } from './tracker.ts';

/** Commit settings. */
export interface CommitOptions {
  /** Timer period, ms. Default 5000. */
  readonly intervalMs: number;
  /** Smallest gap between two commits of one partition, ms. Default 250 (4/s, the Event Hubs limit). */
  readonly minGapMs: number;
}

/** Moves tracker watermarks into the source's committed offsets. */
export class Committer {
  readonly #tracker: CheckpointTracker;
  readonly #source: Source;
  readonly #options: CommitOptions;
  readonly #logger: Logger;
  readonly #lastAt = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #failing = false;
  /** A commit asked for by `soon` is queued or running. */
  #soon = false;
  #onCommitted: (offsets: readonly CommitOffset[]) => void = () => undefined;

  constructor(tracker: CheckpointTracker, source: Source, options: CommitOptions, logger: Logger) {
    this.#tracker = tracker;
    this.#source = source;
    this.#options = options;
    this.#logger = logger;
  }

  /** Called after each successful commit (metrics). */
  onCommitted(listener: (offsets: readonly CommitOffset[]) => void): void {
    this.#onCommitted = listener;
  }

  /** True when the last commit attempt failed (until one succeeds). */
  get failing(): boolean {
    return this.#failing;
  }

  /** Starts the timer. */
  start(): void {
    this.#timer ??= setInterval(() => {
      void this.commit();
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer; a commit under way finishes. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Commits what moved, after any commit under way. Never rejects: a failed commit is logged and the same
   * watermarks are offered again next time.
   * @returns true when everything that moved was committed.
   */
  commit(): Promise<boolean> {
    const next = this.#running.then(() => this.#commitOnce());
    this.#running = next.then(() => undefined);
    return next;
  }

  /** Commits what moved as soon as the pacing allows, unless such a commit is already queued; never waits. */
  soon(): void {
    if (this.#soon) return;
    this.#soon = true;
    void this.commit().finally(() => {
      this.#soon = false;
    });
  }

  async #commitOnce(): Promise<boolean> {
    const due = this.#tracker.committable();
    if (due.length === 0) return true;
    await sleep(this.#waitForGap(due));
    // Read again after the wait: a new assignment meanwhile drops what was tracked, and those offsets with it.
    const dueKeys = new Set(due.map(partitionKey));
    const offsets = this.#tracker.committable().filter((o) => dueKeys.has(partitionKey(o)));
    if (offsets.length === 0) return true;
    const epoch = this.#tracker.epoch;
    try {
      await this.#source.commit(offsets);
    } catch (error) {
      this.#failing = true;
      this.#logger.warn({ err: asBridgeError(error), partitions: offsets.length }, 'offset commit failed');
      return false;
    }
    this.#failing = false;
    const now = Date.now();
    for (const offset of offsets) this.#lastAt.set(partitionKey(offset), now);
    // Partitions dropped during the commit start again from what the log has: nothing of theirs is marked.
    if (this.#tracker.epoch === epoch) this.#tracker.markCommitted(offsets);
    this.#onCommitted(offsets);
    return true;
  }

  #waitForGap(offsets: readonly CommitOffset[]): number {
    const now = Date.now();
    let wait = 0;
    for (const offset of offsets) {
      const last = this.#lastAt.get(partitionKey(offset));
      if (last !== undefined) wait = Math.max(wait, last + this.#options.minGapMs - now);
    }
    return wait;
  }
}
