/**
 * What the console needs to know of a running connector that the engine does not keep: the timestamps of the
 * records read and not yet committed (lag in seconds) and the latest dead letters. Both are gathered by wrapping
 * the connector's source and dead-letter queue, and kept per connector name so they survive restarts.
 * @module
 */
import type {
  CommitOffset,
  ConnectorParts,
  DeadLetterQueue,
  Failure,
  PartitionOffsets,
  Source,
  SourceContext,
  SourceRecord,
} from '../engine/index.ts';
import { forwardingContext, partitionKey } from '../engine/index.ts';

/** Offsets and timestamps of the records read and not yet committed on one partition, in offset order. */
class Pending {
  readonly #offsets: number[] = [];
  readonly #times: number[] = [];
  #head = 0;
  /** Timestamp of the last record the group committed past. */
  lastCommittedMs: number | undefined;

  push(offset: number, timestampMs: number): void {
    this.#offsets.push(offset);
    this.#times.push(timestampMs);
  }

  /** Forgets the records below `offset` (committed). */
  committed(offset: number): void {
    while (this.#head < this.#offsets.length && (this.#offsets[this.#head] ?? Infinity) < offset) {
      this.lastCommittedMs = this.#times[this.#head];
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#offsets.length) {
      this.#offsets.splice(0, this.#head);
      this.#times.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Timestamp of the oldest record read and not committed. */
  get oldestMs(): number | undefined {
    return this.#head < this.#times.length ? this.#times[this.#head] : undefined;
  }
}

/** Record timestamps per partition, for lag in seconds. */
export class RecordTimes {
  readonly #partitions = new Map<string, Pending>();

  /** @internal */
  read(record: SourceRecord): void {
    const key = partitionKey(record.position);
    let pending = this.#partitions.get(key);
    if (pending === undefined) this.#partitions.set(key, (pending = new Pending()));
    pending.push(Number(record.position.offset), record.timestampMs);
  }

  /** @internal */
  committed(offsets: readonly CommitOffset[]): void {
    for (const o of offsets) this.#partitions.get(partitionKey(o))?.committed(Number(o.offset));
  }

  /**
   * Age of the oldest record not yet committed, seconds: exact when this process has read it; otherwise (not
   * fetched yet) the age of the last record committed, an upper bound. 0 without lag.
   */
  lagSeconds(topic: string, partition: number, lag: number, nowMs: number): number {
    if (lag <= 0) return 0;
    const pending = this.#partitions.get(partitionKey({ topic, partition }));
    const since = pending?.oldestMs ?? pending?.lastCommittedMs;
    return since === undefined ? 0 : Math.max(0, (nowMs - since) / 1000);
  }

  /** @internal a new assignment: partitions no longer owned are forgotten. */
  assigned(keys: ReadonlySet<string>): void {
    for (const key of this.#partitions.keys()) if (!keys.has(key)) this.#partitions.delete(key);
  }
}

/** A dead letter as kept for the console (value already cut and masked). */
export interface KeptDeadLetter {
  readonly timeMs: number;
  readonly record: SourceRecord['position'];
  readonly stage: string;
  readonly component: string;
  readonly code: string;
  readonly reason: string;
  readonly key: string | null;
  readonly value: string;
  readonly valueBytes: number;
}

/** The latest dead letters of a connector, newest first. */
export class DeadLetterLog {
  readonly #capacity: number;
  readonly #entries: KeptDeadLetter[] = [];

  constructor(capacity = 50) {
    this.#capacity = capacity;
  }

  /** @internal */
  add(entry: KeptDeadLetter): void {
    this.#entries.unshift(entry);
    if (this.#entries.length > this.#capacity) this.#entries.length = this.#capacity;
  }

  latest(limit: number): readonly KeptDeadLetter[] {
    return this.#entries.slice(0, limit);
  }
}

/** What the worker keeps per connector for the console. */
export interface Observers {
  readonly times: RecordTimes;
  readonly letters: DeadLetterLog;
  /** Cuts and masks a record value or key for display, as the connector's mask transform would. */
  readonly shown: (bytes: Buffer | null) => string;
}

/** The parts with their source and dead-letter queue observed. */
export function observed(parts: ConnectorParts, observers: Observers): ConnectorParts {
  const letters = parts.deadLetters;
  return {
    ...parts,
    source: observedSource(parts.source, observers.times),
    deadLetters: letters === undefined ? undefined : observedLetters(letters, observers),
  };
}

function observedSource(inner: Source, times: RecordTimes): Source {
  return {
    id: inner.id,
    start: (context) => inner.start(observedContext(context, times)),
    commit: async (offsets) => {
      await inner.commit(offsets);
      times.committed(offsets);
    },
    stop: () => inner.stop(),
    ...(inner.health === undefined ? {} : { health: () => inner.health?.() ?? { healthy: true } }),
    ...(inner.offsets === undefined
      ? {}
      : { offsets: (): Promise<PartitionOffsets[]> => inner.offsets?.() ?? Promise.resolve([]) }),
  };
}

function observedContext(context: SourceContext, times: RecordTimes): SourceContext {
  return forwardingContext(context, {
    accept: (record) => {
      times.read(record);
      context.accept(record);
    },
    assigned: (partitions) => {
      times.assigned(new Set(partitions.map(partitionKey)));
      context.assigned(partitions);
    },
  });
}

function observedLetters(inner: DeadLetterQueue, observers: Observers): DeadLetterQueue {
  return {
    write: async (record: SourceRecord, failure: Failure) => {
      await inner.write(record, failure);
      observers.letters.add({
        timeMs: Date.now(),
        record: record.position,
        stage: failure.stage,
        component: failure.component,
        code: failure.cause.code,
        reason: failure.cause.message,
        key: record.key === null ? null : observers.shown(record.key),
        value: observers.shown(record.value),
        valueBytes: record.value?.length ?? 0,
      });
    },
    close: () => inner.close(),
  };
}
