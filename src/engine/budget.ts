/**
 * The in-flight budget. Records count from fetch until a commit covers them (or their partition is revoked): that
 * bounds what a crash can deliver twice. Bytes count from fetch until the record settles: that bounds memory. When
 * either limit is reached the source stops fetching; it fetches again once both fall under the low-water mark.
 * Event Hubs' retention is the buffer during a sink outage, not our heap.
 * @module
 */

/**
 * Estimated memory of one in-flight record: its bytes and one encoding take about twice the record's size, plus
 * about 1.25 KiB of objects around them; the parsed body is garbage once every sink has encoded it (measured with
 * `node --expose-gc bench/memory-per-record.ts 20000 <bytes>`: 1.6 KiB for a 200-byte record, 3.2 KiB for a 1 KiB
 * one).
 */
export function footprintOf(recordBytes: number): number {
  return 2 * recordBytes + 1280;
}

/** Limits of the in-flight budget. */
export interface BudgetLimits {
  /** Records read and not yet committed before the source pauses. */
  readonly maxRecords: number;
  /** Estimated memory (see footprintOf) of records read and not yet settled before the source pauses. */
  readonly maxBytes: number;
  /** Fraction of both limits under which the source resumes, 0 < lowWater < 1. Default 0.5. */
  readonly lowWater?: number;
}

/** Counts records and bytes in flight against limits, and wakes waiters when usage drops under low water. */
export class InFlightBudget {
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #lowRecords: number;
  readonly #lowBytes: number;
  #records = 0;
  #unsettled = 0;
  #bytes = 0;
  #waiters: { readonly until: () => boolean; readonly wake: () => void }[] = [];

  constructor(limits: BudgetLimits) {
    if (!(limits.maxRecords >= 1 && limits.maxBytes >= 1)) {
      throw new RangeError('in-flight limits must be at least 1 record and 1 byte');
    }
    const lowWater = limits.lowWater ?? 0.5;
    this.#maxRecords = limits.maxRecords;
    this.#maxBytes = limits.maxBytes;
    this.#lowRecords = Math.floor(limits.maxRecords * lowWater);
    this.#lowBytes = Math.floor(limits.maxBytes * lowWater);
  }

  /** Counts a record entering. Never refuses: the source checks `full` before fetching more. */
  add(bytes: number): void {
    this.#records += 1;
    this.#unsettled += 1;
    this.#bytes += bytes;
  }

  /** A record settled: its bytes leave memory (it still counts as a record until committed). */
  settled(bytes: number): void {
    this.#unsettled -= 1;
    this.#bytes -= bytes;
    this.#wake();
  }

  /** `count` records were committed, or abandoned with a revoked partition. */
  done(count: number): void {
    if (count === 0) return;
    this.#records -= count;
    this.#wake();
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => waiter.until());
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.wake();
  }

  /** True when either limit is reached: the source must pause. */
  get full(): boolean {
    return this.#records >= this.#maxRecords || this.#bytes >= this.#maxBytes;
  }

  /** Records read and not yet committed (nor abandoned). */
  get records(): number {
    return this.#records;
  }

  /** Records read and not yet settled. */
  get unsettled(): number {
    return this.#unsettled;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Resolves once usage is under the low-water mark (at once if it already is), or when `signal` aborts. */
  belowLowWater(signal?: AbortSignal): Promise<void> {
    return this.#when(() => this.#belowLowWater(), signal);
  }

  /**
   * Resolves once at most `floor()` records are unsettled (at once if so), or when `signal` aborts. `floor` is read
   * each time a record settles.
   */
  unsettledDownTo(floor: () => number, signal?: AbortSignal): Promise<void> {
    return this.#when(() => this.#unsettled <= floor(), signal);
  }

  #when(until: () => boolean, signal?: AbortSignal): Promise<void> {
    if (until() || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.#waiters.push({ until, wake });
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  #belowLowWater(): boolean {
    return this.#records <= this.#lowRecords && this.#bytes <= this.#lowBytes;
  }
}
