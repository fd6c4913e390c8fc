/**
 * The source contract: a source fetches records, hands them to the engine and commits the checkpoints the engine
 * computes. It never decides on its own what is committed.
 * @module
 */
import type { BridgeError } from './errors.ts';
import type { CommitOffset, SourceRecord, TopicPartition } from './record.ts';

/** What the engine offers a running source. */
export interface SourceContext {
  /** Hands one record to the pipeline, in offset order per partition. */
  accept(record: SourceRecord): void;
  /** True when the in-flight budget is full (or the connector is pausing): stop fetching, then await `ready`. */
  isFull(): boolean;
  /** Resolves when fetching may go on (usage under the low-water mark), or when `signal` aborts. */
  ready(signal?: AbortSignal): Promise<void>;
  /** The group gave this process a new assignment; partitions not in it are revoked. */
  assigned(partitions: readonly TopicPartition[]): void;
  /** A rebalance started: commit what is settled while the partitions are still ours. */
  revoking(): Promise<void>;
  /** The source cannot go on (e.g. authentication refused): the connector fails with this error. */
  failed(error: BridgeError): void;
  /**
   * The committed offset of a partition was out of range (expired by retention, or the topic was recreated) and the
   * source restarted it at `policy`: records may have been skipped or will be read again. Logged and counted.
   */
  offsetReset(partition: TopicPartition, policy: 'earliest' | 'latest'): void;
}

/** Where the committed position of a partition stands against the log, for status and lag. */
export interface PartitionOffsets extends TopicPartition {
  /** Committed offset of the consumer group, if any. */
  readonly committed: bigint | undefined;
  /** Log end offset (high watermark). */
  readonly end: bigint;
  /** Log start offset. */
  readonly start: bigint;
}

/** Whether a source reaches its log, for status: a source retrying its connection is unhealthy. */
export interface SourceHealth {
  readonly healthy: boolean;
  /** Why it is unhealthy (what to fix, when it is a configuration problem). */
  readonly lastError?: BridgeError;
}

/** A log to read from. */
export interface Source {
  readonly id: string;
  /** Connects and starts consuming; resolves once consumption has started. */
  start(context: SourceContext): Promise<void>;
  /** Commits checkpoints; rejects with a BridgeError when the commit failed (it is retried later). */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** Stops fetching and leaves the group; in-flight records are the engine's to drain before. */
  stop(): Promise<void>;
  /** Committed and end offsets of the subscribed partitions. */
  offsets?(): Promise<PartitionOffsets[]>;
  /** Connection health, read for status (no I/O). */
  health?(): SourceHealth;
}
