/**
 * The source contract: a source fetches records, hands them to the engine and commits the checkpoints the engine
 * computes. It never decides on its own what is committed. What the engine relies on:
 * - records of a partition are accepted in offset order, from the partition's committed offset on, and only while
 *   the partition is this process's;
 * - after `assigned`, every listed partition is read again from its committed offset (not from where reading was);
 * - a partition this process lost is reported (`assigned` without it, or `revoked`) before records of a new owner's
 *   time could be accepted for it;
 * - `commit` resolves only once the log acknowledged every offset, for partitions still this process's;
 * - `caughtUp` says when nothing of a partition waits to be read (kept partial lines time out only then).
 * The model-based test (test/unit/engine/delivery-model.test.ts) drives the engine through this interface alone.
 * @module
 */
import type { BridgeError } from './errors.ts';
import type { CommitOffset, SourceRecord, TopicPartition } from './record.ts';

/** What the engine offers a running source. */
export interface SourceContext {
  /**
   * Hands one record to the pipeline, in offset order per partition: a new object each time (the engine follows
   * records by identity, so a record read again is a new copy).
   */
  accept(record: SourceRecord): void;
  /** True when the in-flight budget is full (or the connector is pausing): stop fetching, then await `ready`. */
  isFull(): boolean;
  /** Resolves when fetching may go on (usage under the low-water mark), or when `signal` aborts. */
  ready(signal?: AbortSignal): Promise<void>;
  /**
   * A new assignment (a new generation of a consumer group): every partition tracked so far is dropped, kept ones
   * included, and the listed partitions are read again from their committed offsets. Commit what is settled first
   * (`revoking`) while the old assignment still holds.
   */
  assigned(partitions: readonly TopicPartition[]): void;
  /**
   * These partitions are no longer this process's (ownership lost or given up); the others carry on. What was
   * tracked of them is dropped and never committed.
   */
  revoked(partitions: readonly TopicPartition[]): void;
  /** A rebalance started: commit what is settled while the partitions are still ours. */
  revoking(): Promise<void>;
  /**
   * Whether every record the log held for `partition` at the source's last look has been accepted: true once a read
   * reached the log end and all of it was accepted, false as soon as records of it wait (read and not yet accepted,
   * or reading paused). Partial lines age only while their partition is caught up; a partition never reported
   * caught up keeps them until they complete, grow too large, or reading stalls with nothing else in flight.
   */
  caughtUp(partition: TopicPartition, caughtUp: boolean): void;
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
  /**
   * Commits checkpoints. Resolves only once the log acknowledged every one of them for partitions this process
   * still owns; otherwise rejects with a BridgeError (nothing is marked committed, and the same checkpoints are
   * offered again later).
   */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** Stops fetching and leaves the group; in-flight records are the engine's to drain before. */
  stop(): Promise<void>;
  /** Committed and end offsets of the subscribed partitions. */
  offsets?(): Promise<PartitionOffsets[]>;
  /** Connection health, read for status (no I/O). */
  health?(): SourceHealth;
}

/** A context passing everything to `inner` but what `overrides` replaces: for a source that wraps another. */
export function forwardingContext(inner: SourceContext, overrides: Partial<SourceContext>): SourceContext {
  return {
    accept: (record) => {
      inner.accept(record);
    },
    isFull: () => inner.isFull(),
    ready: (signal) => inner.ready(signal),
    assigned: (partitions) => {
      inner.assigned(partitions);
    },
    revoked: (partitions) => {
      inner.revoked(partitions);
    },
    revoking: () => inner.revoking(),
    caughtUp: (partition, caughtUp) => {
      inner.caughtUp(partition, caughtUp);
    },
    failed: (error) => {
      inner.failed(error);
    },
    offsetReset: (partition, policy) => {
      inner.offsetReset(partition, policy);
    },
    ...overrides,
  };
}
