/**
 * Reading clocks: per partition, a clock that runs only while waiting longer is waiting for the log, not for
 * logbridge. It runs while the partition is caught up (the source handed over every record the log held), or while
 * reading is stalled (the budget is full and nothing but kept events is in flight, so only letting them go can free
 * it). Stateful transforms time their kept events on it: a partial line whose rest already sits in the log, behind
 * a slow sink or a full budget, never times out.
 * @module
 */
import type { PartitionKey } from './record.ts';

interface Clock {
  /** Milliseconds run before `since`. */
  elapsed: number;
  /** When the clock last started running; undefined while stopped. */
  since: number | undefined;
  caughtUp: boolean;
}

/** The reading clocks of a connector's partitions. Times are epoch milliseconds from the caller. */
export class ReadingClocks {
  readonly #clocks = new Map<PartitionKey, Clock>();
  /** Since when reading is stalled; undefined while it is not. */
  #stalledSince: number | undefined;

  /** The source reports whether `partition` is caught up. */
  caughtUp(partition: PartitionKey, caughtUp: boolean, nowMs: number): void {
    const clock = this.#clock(partition);
    clock.caughtUp = caughtUp;
    run(clock, caughtUp || this.#stalledSince !== undefined, nowMs);
  }

  /** Reading is stalled (every clock runs) or not (since `nowMs`). */
  stalled(stalled: boolean, nowMs: number): void {
    if (stalled === (this.#stalledSince !== undefined)) return;
    this.#stalledSince = stalled ? nowMs : undefined;
    for (const clock of this.#clocks.values()) run(clock, clock.caughtUp || stalled, nowMs);
  }

  /**
   * The process did not run for `ms` before `nowMs` (stopped, or its event loop blocked): running clocks skip that
   * time, since nothing could be read meanwhile.
   */
  skip(ms: number, nowMs: number): void {
    for (const clock of this.#clocks.values())
      if (clock.since !== undefined) clock.since = Math.min(nowMs, clock.since + ms);
    if (this.#stalledSince !== undefined) this.#stalledSince = Math.min(nowMs, this.#stalledSince + ms);
  }

  /** The clock of `partition` at `nowMs`: milliseconds it has run. */
  read(partition: PartitionKey, nowMs: number): number {
    const clock = this.#clock(partition);
    return clock.elapsed + (clock.since === undefined ? 0 : nowMs - clock.since);
  }

  /** The clock of a partition; one never reported starts stopped (or running since the stall began). */
  #clock(partition: PartitionKey): Clock {
    let clock = this.#clocks.get(partition);
    if (clock === undefined) {
      clock = { elapsed: 0, since: this.#stalledSince, caughtUp: false };
      this.#clocks.set(partition, clock);
    }
    return clock;
  }

  /** Forgets these partitions' clocks (revoked, or starting again from their committed offsets). */
  forget(partitions: Iterable<PartitionKey>): void {
    for (const partition of partitions) this.#clocks.delete(partition);
  }
}

function run(clock: Clock, running: boolean, nowMs: number): void {
  if (running && clock.since === undefined) clock.since = nowMs;
  else if (!running && clock.since !== undefined) {
    clock.elapsed += Math.max(0, nowMs - clock.since);
    clock.since = undefined;
  }
}
