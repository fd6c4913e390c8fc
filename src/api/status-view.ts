/**
 * The status JSON: Kafka Connect's fields (`name`, `connector`, `tasks`, `type`, `trace` on FAILED), plus ours under
 * `logbridge`: degradation, the source's health, in-flight usage, per-partition checkpoints and lag (with when they
 * were read), and per-sink health.
 * @module
 */
import { memberWorkerId } from '../config/index.ts';
import type { ConnectorStatus } from '../engine/index.ts';

/** Renders a status for `GET /connectors/{name}/status`. */
export function statusView(
  status: ConnectorStatus,
  who: { readonly workerId: string; readonly version: string },
): Record<string, unknown> {
  const { workerId, version } = who;
  const state = status.state;
  const trace = status.trace === undefined ? {} : { trace: status.trace };
  return {
    name: status.name,
    connector: { state, worker_id: workerId, version, ...trace },
    tasks: state === 'STOPPED' ? [] : tasksView(status, workerId, version),
    type: 'sink',
    logbridge: {
      degraded: status.degraded,
      ...sourceView(status),
      in_flight: status.inFlight,
      // Offsets come from the last reading (status never waits for Kafka): when, and whether a running instance
      // keeps them up to date or they are the last known ones of a stopped connector.
      offsets_read_at:
        status.offsetsReadAtMs === undefined ? null : new Date(status.offsetsReadAtMs).toISOString(),
      ...(status.offsetsLastKnown === true ? { offsets_last_known: true } : {}),
      partitions: partitionsView(status),
      sinks: status.sinks.map((sink) => ({
        id: sink.id,
        healthy: sink.healthy,
        retrying_batches: sink.retrying,
        ...(sink.detail === undefined ? {} : { detail: sink.detail }),
        ...(sink.lastError === undefined ? {} : { last_error: sink.lastError }),
      })),
    },
  };
}

/** Task 0 is this process; members (`workers` > 1) follow with their own states and worker ids. */
function tasksView(status: ConnectorStatus, workerId: string, version: string): Record<string, unknown>[] {
  const trace = status.trace === undefined ? {} : { trace: status.trace };
  return [
    { id: 0, state: status.state, worker_id: workerId, version, ...trace },
    ...(status.members ?? []).map((m) => ({
      id: m.id,
      state: m.state,
      worker_id: memberWorkerId(workerId, m.id),
      version,
      ...(m.trace === undefined ? {} : { trace: m.trace }),
    })),
  ];
}

function sourceView(status: ConnectorStatus): Record<string, unknown> {
  const source = status.source;
  if (source === undefined) return {};
  const lastError = source.lastError === undefined ? {} : { last_error: source.lastError };
  return { source: { id: source.id, healthy: source.healthy, ...lastError } };
}

function partitionsView(status: ConnectorStatus): Record<string, unknown>[] {
  const tracked = new Map(status.partitions.map((p) => [`${p.topic}:${p.partition}`, p]));
  return status.offsets.map((o) => {
    const mine = tracked.get(`${o.topic}:${o.partition}`);
    return {
      topic: o.topic,
      partition: o.partition,
      committed_offset: o.committed === undefined ? null : Number(o.committed),
      end_offset: Number(o.end),
      lag: Number(o.lag),
      assigned_here: mine !== undefined,
      ...(mine === undefined ? {} : { in_flight: mine.pending }),
      ...(o.committedAboveEnd ? { anomaly: 'committed offset above the log end: reset the offsets' } : {}),
    };
  });
}
