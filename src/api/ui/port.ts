/**
 * What the console's endpoints need from the worker, beyond Kafka Connect's resource (a port, like `../port.ts`):
 * partitions with lag in seconds, recent dead letters, reset plans and previews. Every value is secret-free: the
 * worker masks and truncates record values before they reach this interface.
 * @module
 */

/** One partition as the console shows it. */
export interface PartitionRow {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; null when it has none. */
  readonly committed: number | null;
  readonly end: number;
  /** Records between the committed offset and the log end. */
  readonly lag: number;
  /** Age of the oldest record not yet committed (record timestamps), seconds; 0 without lag. */
  readonly lag_seconds: number;
  /** Whether this process owns the partition now. */
  readonly assigned_here: boolean;
  /** Records read and not yet committed (this process). */
  readonly in_flight: number;
  /** True while nothing is fetched: the operator paused the connector, or the in-flight budget is full. */
  readonly paused: boolean;
  readonly paused_reason?: string;
}

/** A dead letter as the console shows it: coordinates, stage and reason; key and value cut and PII-masked. */
export interface DeadLetterEntry {
  readonly time: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly stage: string;
  readonly component: string;
  readonly code: string;
  readonly reason: string;
  readonly key: string | null;
  readonly value: string;
  /** The value's full size, bytes. */
  readonly value_bytes: number;
}

/** Dead letters of a connector: counts by stage and reason since the process started, and the latest few. */
export interface DeadLetters {
  readonly by_stage_reason: readonly {
    readonly stage: string;
    readonly reason: string;
    readonly count: number;
  }[];
  readonly latest: readonly DeadLetterEntry[];
}

/** Where an offset reset goes, as the console asks for it. */
export type ResetRequest =
  { readonly to: 'earliest' } | { readonly to: 'latest' } | { readonly to: 'datetime'; readonly at: Date };

/** One row of a reset plan. */
export interface PlanRow {
  readonly topic: string;
  readonly partition: number;
  /** Committed offset now (null: none). */
  readonly from: number | null;
  readonly to: number;
  /** Records read again (to < from) … */
  readonly reread: number;
  /** … or skipped, never delivered (to > from). */
  readonly skipped: number;
  readonly note: string | null;
}

/** The console's needs of the worker. */
export interface ConsoleService {
  partitions(name: string): Promise<readonly PartitionRow[]>;
  deadLetters(name: string, limit: number): Promise<DeadLetters>;
  /** Plans a reset without changing anything. */
  planReset(name: string, request: ResetRequest): Promise<{ description: string; rows: readonly PlanRow[] }>;
  /** Runs sample records through the connector's transforms and encoders (`POST …/preview`). */
  preview(name: string, body: unknown): Promise<unknown>;
}
