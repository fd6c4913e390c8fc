/**
 * Connector states (Kafka Connect's) and the status snapshot operators read.
 * @module
 */
import type { InFlightBudget } from './budget.ts';
import type { BridgeError } from './errors.ts';
import type { SinkDriver } from './sink-driver.ts';
import type { PartitionSnapshot } from './tracker.ts';
import type { PartitionLag } from './offsets-watch.ts';

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

/** What `GET /connectors/{name}/status` and `logbridge status` report beyond Kafka Connect's fields. */
export interface ConnectorStatus {
  readonly name: string;
  readonly state: ConnectorState;
  /** True while RUNNING but retrying a sink (the checkpoint waits). */
  readonly degraded: boolean;
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
  readonly sinks: readonly SinkStatus[];
}

/** @internal assembles a status from the runner's parts. */
export function connectorStatus(parts: {
  readonly name: string;
  readonly state: ConnectorState;
  readonly failure: BridgeError | undefined;
  readonly budget: InFlightBudget;
  readonly partitions: readonly PartitionSnapshot[];
  readonly offsets: readonly PartitionLag[];
  readonly drivers: readonly SinkDriver[];
}): ConnectorStatus {
  const sinks = parts.drivers.map(sinkStatus);
  return {
    name: parts.name,
    state: parts.state,
    degraded: parts.state === 'RUNNING' && sinks.some((sink) => !sink.healthy),
    ...(parts.failure ? { trace: `${parts.failure.code}: ${parts.failure.message}` } : {}),
    inFlight: {
      records: parts.budget.records,
      unsettled: parts.budget.unsettled,
      bytes: parts.budget.bytes,
      full: parts.budget.full,
    },
    partitions: parts.partitions,
    offsets: parts.offsets,
    sinks,
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
