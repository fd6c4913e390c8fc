/**
 * The contiguous watermark of one partition (Kafka Connect's SubmittedRecords): records enter in offset order, settle
 * in any order, and the checkpoint is the offset of the first record not yet settled.
 * @module
 */

/** One tracked record of a partition. */
export interface WatermarkEntry {
  readonly offset: bigint;
  settled: boolean;
}

/** Compact the queue's array once this many settled entries sit before the head. */
const COMPACT_AFTER = 4096;

/** Per-partition queue of in-flight records; `watermark` never passes an unsettled record. */
export class PartitionWatermark {
  #queue: WatermarkEntry[] = [];
  #head = 0;
  /** 1 + the highest offset ever tracked; undefined until the first record. */
  #next: bigint | undefined;

  /** @returns true when `offset` was already tracked here (a refetch after a rebalance or a seek). */
  seen(offset: bigint): boolean {
    return this.#next !== undefined && offset < this.#next;
  }

  /**
   * Tracks a record. Offsets must increase; gaps (compaction, control records) are allowed.
   * @throws RangeError when `offset` is not above every offset tracked so far.
   */
  add(offset: bigint): WatermarkEntry {
    if (this.seen(offset)) {
      throw new RangeError(`offset ${offset} is not above the last tracked offset ${String(this.#next)}`);
    }
    const entry: WatermarkEntry = { offset, settled: false };
    this.#queue.push(entry);
    this.#next = offset + 1n;
    return entry;
  }

  /** Marks an entry settled and moves the head past every settled entry. */
  settle(entry: WatermarkEntry): void {
    entry.settled = true;
    const queue = this.#queue;
    while (this.#head < queue.length && queue[this.#head]?.settled === true) this.#head += 1;
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Records tracked and not yet settled, including settled ones behind an unsettled head. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * The checkpoint: the offset of the first unsettled record, or 1 + the last tracked offset when all are settled;
   * undefined before the first record.
   */
  get watermark(): bigint | undefined {
    return this.#queue[this.#head]?.offset ?? this.#next;
  }
}
