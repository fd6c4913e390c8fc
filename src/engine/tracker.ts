/**
 * The checkpoint tracker: every in-flight record, its fan-out, and the contiguous watermark per partition.
 * A record settles when every delivery it was routed to has ended (delivered, dropped on purpose or dead-lettered);
 * the checkpoint of a partition never passes an unsettled record.
 * @module
 */
import { footprintOf, type InFlightBudget } from './budget.ts';
import type { CommitOffset, PartitionKey, SourceRecord, TopicPartition } from './record.ts';
import { partitionKey } from './record.ts';
import { PartitionWatermark, type WatermarkEntry } from './watermark.ts';

/**
 * A record's settlement handle. It starts with one hold (the engine's, while the record is being processed);
 * `retain` adds one per pending delivery (per event and sink), `release` ends one. At zero the record is settled.
 */
export class Ticket {
  #holds = 1;
  readonly #entry: WatermarkEntry;
  readonly #record: SourceRecord;
  readonly #owner: CheckpointTracker;
  readonly #state: PartitionState;

  /** @internal created by CheckpointTracker.track */
  constructor(owner: CheckpointTracker, state: PartitionState, entry: WatermarkEntry, record: SourceRecord) {
    this.#owner = owner;
    this.#state = state;
    this.#entry = entry;
    this.#record = record;
  }

  /** Adds `count` pending deliveries. */
  retain(count = 1): void {
    if (this.#holds <= 0) throw new Error('retain on a settled record');
    this.#holds += count;
  }

  /** Ends one pending delivery; the last one settles the record. Extra releases are ignored. */
  release(): void {
    if (this.#holds <= 0) return;
    this.#holds -= 1;
    if (this.#holds === 0) this.#owner.settle(this.#state, this.#entry, this.#record);
  }

  /** True once every hold is released. */
  get settled(): boolean {
    return this.#holds === 0;
  }
}

/** @internal */
export interface PartitionState {
  readonly tp: TopicPartition;
  readonly watermark: PartitionWatermark;
  /** False once the partition is revoked: its records still leave the budget but no longer move a checkpoint. */
  owned: boolean;
  committed: bigint | undefined;
}

/** What the tracker knows of a partition, for status and metrics. */
export interface PartitionSnapshot extends TopicPartition {
  /** Next offset to commit (contiguous settled watermark), if any record was seen. */
  readonly watermark: bigint | undefined;
  /** Last offset committed by this process, if any. */
  readonly committed: bigint | undefined;
  /** Records not yet settled, or settled behind one that is not. */
  readonly pending: number;
}

/** Tracks in-flight records per partition and computes what may be committed. */
export class CheckpointTracker {
  readonly #partitions = new Map<PartitionKey, PartitionState>();
  readonly #budget: InFlightBudget;
  readonly #onSettled: ((record: SourceRecord) => void) | undefined;
  #epoch = 0;

  /**
   * @param budget counts what is in flight.
   * @param onSettled called once per record when it settles (metrics).
   */
  constructor(budget: InFlightBudget, onSettled?: (record: SourceRecord) => void) {
    this.#budget = budget;
    this.#onSettled = onSettled;
  }

  /**
   * Starts tracking a record.
   * @returns its ticket, or undefined when this offset was already tracked in the current assignment (a refetch
   *   after a rebalance or seek): the first copy is still in flight or settled, so this one must be skipped.
   */
  track(record: SourceRecord): Ticket | undefined {
    const state = this.#state(record.position);
    if (state.watermark.seen(record.position.offset)) return undefined;
    const entry = state.watermark.add(record.position.offset);
    this.#budget.add(footprintOf(record.sizeBytes));
    return new Ticket(this, state, entry, record);
  }

  /** @internal called by Ticket when its last hold is released. */
  settle(state: PartitionState, entry: WatermarkEntry, record: SourceRecord): void {
    this.#budget.settled(footprintOf(record.sizeBytes));
    if (state.owned) state.watermark.settle(entry);
    else this.#budget.done(1);
    this.#onSettled?.(record);
  }

  /** Changes each time partitions are revoked: offsets read before then may belong to dropped state. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Checkpoints that moved since the last commit, for the partitions still owned. */
  committable(): CommitOffset[] {
    const offsets: CommitOffset[] = [];
    for (const state of this.#partitions.values()) {
      const offset = state.watermark.watermark;
      if (offset !== undefined && (state.committed === undefined || offset > state.committed)) {
        offsets.push({ ...state.tp, offset });
      }
    }
    return offsets;
  }

  /**
   * Records that `offsets` were committed: the settled records they cover leave the budget. Offsets of partitions no
   * longer owned are ignored.
   */
  markCommitted(offsets: readonly CommitOffset[]): void {
    for (const committed of offsets) {
      const state = this.#partitions.get(partitionKey(committed));
      if (state === undefined) continue;
      if (state.committed === undefined || committed.offset > state.committed)
        state.committed = committed.offset;
      this.#budget.done(state.watermark.committed(committed.offset));
    }
  }

  /**
   * Forgets revoked partitions: their records are abandoned (never committed by us; the next owner reads them again
   * from the last commit) and leave the budget, the unsettled ones when their deliveries end. Commit what is settled
   * before calling this.
   */
  revoke(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.#epoch += 1;
    for (const tp of partitions) {
      const key = partitionKey(tp);
      const state = this.#partitions.get(key);
      if (state === undefined) continue;
      state.owned = false;
      this.#budget.done(state.watermark.settledUncommitted);
      this.#partitions.delete(key);
    }
  }

  /** Partitions currently tracked. */
  partitions(): TopicPartition[] {
    return [...this.#partitions.values()].map((state) => state.tp);
  }

  /** A snapshot per tracked partition. */
  snapshot(): PartitionSnapshot[] {
    return [...this.#partitions.values()].map((state) => ({
      ...state.tp,
      watermark: state.watermark.watermark,
      committed: state.committed,
      pending: state.watermark.pending,
    }));
  }

  #state(tp: TopicPartition): PartitionState {
    const key = partitionKey(tp);
    let state = this.#partitions.get(key);
    if (state === undefined) {
      state = {
        tp: { topic: tp.topic, partition: tp.partition },
        watermark: new PartitionWatermark(),
        owned: true,
        committed: undefined,
      };
      this.#partitions.set(key, state);
    }
    return state;
  }
}
