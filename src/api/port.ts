/**
 * What the REST API needs from the worker (a port: the worker implements it; the API imports no worker code).
 * @module
 */
import type { ConfigIssue, OptionSpec } from '../config/index.ts';
import type { ConnectorState, ConnectorStatus, PartitionLag } from '../engine/index.ts';

/** Kafka Connect's target states. */
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** One connector, as the API sees it. */
export interface ConnectorView {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly target: TargetState;
  readonly state: ConnectorState;
  status(): ConnectorStatus;
  /**
   * Starts reading committed and end offsets in the background; status answers from the last reading, so that it
   * never waits for Kafka.
   */
  refreshOffsets?(): void;
  /** The running instance; absent while STOPPED. */
  readonly instance?: { refreshOffsets(): Promise<readonly PartitionLag[]> } | undefined;
}

/** An option of a connector type, for `config/validate`. */
export interface OptionEntry {
  readonly group: string;
  readonly key: string;
  readonly spec: OptionSpec;
}

/** One partition's committed offset in KIP-875's shape. */
export interface OffsetRow {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to consume; null = reset (remove) this partition's committed offset. */
  readonly offset: bigint | null;
}

/**
 * Worker operations. They throw errors with a `kind` of `invalid` (400), `not-found` (404) or `conflict` (409);
 * anything else is a 500.
 */
export interface ConnectorService {
  readonly mode: 'standalone' | 'distributed';
  names(): string[];
  slot(name: string): ConnectorView;
  create(
    definition: { name: string; config: Readonly<Record<string, unknown>> },
    initial?: TargetState,
  ): Promise<void>;
  putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<boolean>;
  setTarget(name: string, target: TargetState): Promise<void>;
  restart(name: string, onlyFailed: boolean): Promise<void>;
  delete(name: string): Promise<void>;
  /** Every problem of a definition, without side effects. */
  validate(config: Readonly<Record<string, unknown>>): readonly ConfigIssue[];
  /** The options a definition may use, by group. */
  options(config: Readonly<Record<string, unknown>>): readonly OptionEntry[];
  /** The definition with every secret replaced by `[hidden]`. */
  redact(config: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Committed offsets of a connector's consumer group (KIP-875 GET). */
  offsets(name: string): Promise<readonly OffsetRow[]>;
  /** Alters committed offsets (KIP-875 PATCH): only while STOPPED and the group has no live member. */
  alterOffsets(name: string, rows: readonly OffsetRow[]): Promise<void>;
  /** Removes every committed offset (KIP-875 DELETE): only while STOPPED and the group has no live member. */
  resetOffsets(name: string): Promise<void>;
}

/** A logger's pino level and when it was last set (epoch ms; null: never). */
export interface LoggerLevel {
  readonly level: string;
  readonly last_modified: number | null;
}

/** Log levels by logger, for `/admin/loggers`. */
export interface LogLevels {
  /** Every logger with its level. */
  list(): Readonly<Record<string, LoggerLevel>>;
  /**
   * Sets a logger's level (`root` = all), creating the name when no logger has it yet.
   * @returns the loggers changed; throws when the level is not a level.
   */
  set(name: string, level: string): readonly string[];
}
