/**
 * Connector states (Kafka Connect's) and the status snapshot operators read.
 * @module
 */
import type { InFlightBudget } from './budget.ts';
import type { BridgeError } from './errors.ts';
import type { SinkDriver } from './sink-driver.ts';
import type { PartitionSnapshot } from './tracker.ts';
import type { PartitionLag } from './offsets-watch.ts';
import type { Source } from './source.ts';

/** Kafka Connect's connector states; UNASSIGNED until the sinks connect and the source starts. */
export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED';

/** An error as status output shows it. */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
}

/** One sink's health. */
export interface SinkStatus {
  readonly id: string;
  readonly healthy: boolean;
  /** Batches being retried after transient failures. */
  readonly retrying: number;
  readonly detail?: string;
  readonly lastError?: ErrorView;
}

/** The source's health: unhealthy while it cannot reach its log. */
export interface SourceStatus {
  readonly id: string;
  readonly healthy: boolean;
  readonly lastError?: ErrorView;
}

/** What `GET /connectors/{name}/status` and `logbridge status` report beyond Kafka Connect's fields. */
export interface ConnectorStatus {
  readonly name: string;
  readonly state: ConnectorState;
  /**
   * True while running or starting (RUNNING, UNASSIGNED) but retrying: the source cannot reach its log, or a sink
   * is unhealthy (the checkpoint waits).
   */
  readonly degraded: boolean;
  /** The source's health; absent for a connector with no instance (STOPPED, or FAILED before it was built). */
  readonly source?: SourceStatus;
  /** Why the connector FAILED: what to fix. */
  readonly trace?: string;
  /** Records read and not yet committed; of them, not yet settled; bytes of the unsettled ones. */
  readonly inFlight: {
    readonly records: number;
    readonly unsettled: number;
    readonly bytes: number;
    readonly full: boolean;
  };
  /** What this process tracks per partition it owns. */
  readonly partitions: readonly PartitionSnapshot[];
  /** Committed and end offsets and lag of every partition of the topics, as last read. */
  readonly offsets: readonly PartitionLag[];
  /** When `offsets` were read (epoch ms); undefined before the first reading. */
  readonly offsetsReadAtMs?: number | undefined;
  /** True when `offsets` are the last known ones, not kept up to date by a running instance (STOPPED). */
  readonly offsetsLastKnown?: boolean;
  readonly sinks: readonly SinkStatus[];
  /**
   * The member processes running this connector beside this one (`workers` > 1), as Kafka Connect tasks; their
   * partitions, in-flight records and sink health are merged into the fields above.
   */
  readonly members?: readonly MemberTaskState[];
}

/** A member process's task of a connector. */
export interface MemberTaskState {
  /** The task id: the member's index (the primary process is task 0). */
  readonly id: number;
  readonly state: ConnectorState;
  readonly trace?: string;
}

/** @internal assembles a status from the runner's parts. */
export function connectorStatus(parts: {
  readonly name: string;
  readonly state: ConnectorState;
  readonly failure: BridgeError | undefined;
  readonly budget: InFlightBudget;
  readonly partitions: readonly PartitionSnapshot[];
  readonly offsets: readonly PartitionLag[];
  readonly offsetsReadAtMs?: number | undefined;
  readonly drivers: readonly SinkDriver[];
  readonly source?: Source;
}): ConnectorStatus {
  const sinks = parts.drivers.map(sinkStatus);
  const source = parts.source === undefined ? undefined : sourceStatus(parts.source);
  const running = parts.state === 'RUNNING' || parts.state === 'UNASSIGNED';
  return {
    name: parts.name,
    state: parts.state,
    degraded: running && (source?.healthy === false || sinks.some((sink) => !sink.healthy)),
    ...(source === undefined ? {} : { source }),
    ...(parts.failure ? { trace: `${parts.failure.code}: ${parts.failure.message}` } : {}),
    inFlight: {
      records: parts.budget.records,
      unsettled: parts.budget.unsettled,
      bytes: parts.budget.bytes,
      full: parts.budget.full,
    },
    partitions: parts.partitions,
    offsets: parts.offsets,
    offsetsReadAtMs: parts.offsetsReadAtMs,
    sinks,
  };
}

function sourceStatus(source: Source): SourceStatus {
  const health = source.health?.() ?? { healthy: true };
  const lastError = health.lastError;
  return {
    id: source.id,
    healthy: health.healthy,
    ...(lastError ? { lastError: { code: lastError.code, message: lastError.message } } : {}),
  };
}

function sinkStatus(driver: SinkDriver): SinkStatus {
  const health = driver.sink.health?.();
  const lastError = driver.lastError;
  return {
    id: driver.sink.id,
    healthy: driver.retrying === 0 && (health?.healthy ?? true),
    retrying: driver.retrying,
    ...(health?.detail === undefined ? {} : { detail: health.detail }),
    ...(lastError ? { lastError: { code: lastError.code, message: lastError.message } } : {}),
  };
}
