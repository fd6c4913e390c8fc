/**
 * A source that lets through only a window of each partition: the records from offset `from` to offset `to`
 * (exclusive) whose timestamps fall in [fromMs, toMs). Records past `to` are never handed to the engine (they are
 * not replayed and never tracked), so a replay stops at `--to` per partition whatever the consumer fetches next.
 * It counts what it saw, for the progress bar and to tell when every partition has been read to its end.
 * @module
 */
import {
  type CommitOffset,
  type PartitionOffsets,
  partitionKey,
  type Source,
  forwardingContext,
  type SourceContext,
  type SourceRecord,
  type TopicPartition,
} from '../engine/index.ts';

/** One partition's window: offsets [from, to). */
export interface PartitionWindow extends TopicPartition {
  readonly from: bigint;
  readonly to: bigint;
}

/** What a window source has seen of one partition. */
interface Seen {
  readonly window: PartitionWindow;
  /** Records handed to the engine. */
  accepted: number;
  /** Records in the offset range whose timestamp is outside [fromMs, toMs). */
  skipped: number;
  /** Highest offset fetched, -1 before any. */
  last: bigint;
}

/** Progress of the reading side of a replay. */
export interface WindowProgress {
  /** Records in the windows' offset ranges. */
  readonly total: number;
  readonly accepted: number;
  readonly skipped: number;
  /** Every partition has been read to the end of its window. */
  readonly read: boolean;
}

/** Wraps a source so that only the windows reach the engine. */
export class WindowSource implements Source {
  readonly id: string;
  readonly #inner: Source;
  readonly #seen = new Map<string, Seen>();
  readonly #fromMs: number;
  readonly #toMs: number;

  constructor(inner: Source, windows: readonly PartitionWindow[], times: { fromMs: number; toMs: number }) {
    this.#inner = inner;
    this.id = inner.id;
    this.#fromMs = times.fromMs;
    this.#toMs = times.toMs;
    for (const window of windows)
      this.#seen.set(partitionKey(window), { window, accepted: 0, skipped: 0, last: -1n });
  }

  /** What has been read so far. */
  progress(): WindowProgress {
    let total = 0;
    let accepted = 0;
    let skipped = 0;
    let read = true;
    for (const seen of this.#seen.values()) {
      total += Number(seen.window.to - seen.window.from);
      accepted += seen.accepted;
      skipped += seen.skipped;
      if (seen.window.to > seen.window.from && seen.last < seen.window.to - 1n) read = false;
    }
    return { total, accepted, skipped, read };
  }

  start(context: SourceContext): Promise<void> {
    const filtered = forwardingContext(context, {
      accept: (record) => {
        this.#accept(record, context);
      },
    });
    return this.#inner.start(filtered);
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    return this.#inner.commit(offsets);
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }

  async offsets(): Promise<PartitionOffsets[]> {
    return this.#inner.offsets?.() ?? [];
  }

  #accept(record: SourceRecord, context: SourceContext): void {
    const seen = this.#seen.get(partitionKey(record.position));
    const { offset } = record.position;
    if (seen === undefined || offset < seen.window.from || offset >= seen.window.to) return;
    if (offset > seen.last) seen.last = offset;
    if (record.timestampMs < this.#fromMs || record.timestampMs >= this.#toMs) {
      seen.skipped += 1;
      return;
    }
    seen.accepted += 1;
    context.accept(record);
  }
}
