/**
 * The contiguous watermark of one partition (Kafka Connect's SubmittedRecords): records enter in offset order, settle
 * in any order, and the checkpoint is the offset of the first record not yet settled. Settled records stay counted
 * as uncommitted until a commit covers them, so that "read and not yet committed" is bounded (it bounds the
 * duplicates a crash can cause).
 * @module
 */

/** One tracked record of a partition. */
export interface WatermarkEntry {
  readonly offset: bigint;
  settled: boolean;
}

/** Compact an array once this many consumed entries sit before its head. */
const COMPACT_AFTER = 4096;

/** A FIFO of items with an index head, compacted now and then (cheaper than Array#shift on long queues). */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Items from the head, in order. */
  *values(): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i += 1) yield this.#items[i] as T;
  }
}

/** Per-partition queue of in-flight records; `watermark` never passes an unsettled record. */
export class PartitionWatermark {
  readonly #queue = new Fifo<WatermarkEntry>();
  /** Offsets of settled records past the head of `#queue`, not yet covered by a commit. */
  readonly #uncommitted = new Fifo<bigint>();
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
    for (let head = this.#queue.peek(); head?.settled === true; head = this.#queue.peek()) {
      this.#queue.shift();
      this.#uncommitted.push(head.offset);
    }
  }

  /**
   * Records that everything below `offset` is committed.
   * @returns how many settled records that commit covered (they leave the uncommitted count).
   */
  committed(offset: bigint): number {
    let covered = 0;
    for (
      let first = this.#uncommitted.peek();
      first !== undefined && first < offset;
      first = this.#uncommitted.peek()
    ) {
      this.#uncommitted.shift();
      covered += 1;
    }
    return covered;
  }

  /** Settled records not yet covered by a commit, including settled ones behind an unsettled head. */
  get settledUncommitted(): number {
    let behindHead = 0;
    for (const entry of this.#queue.values()) if (entry.settled) behindHead += 1;
    return this.#uncommitted.length + behindHead;
  }

  /** Records tracked and not yet settled, or settled behind one that is not. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * The checkpoint: the offset of the first unsettled record, or 1 + the last tracked offset when all are settled;
   * undefined before the first record.
   */
  get watermark(): bigint | undefined {
    return this.#queue.peek()?.offset ?? this.#next;
  }
}
