/**
 * The worker's side of the console (`ConsoleService` in src/api/ui/port.ts): partitions with lag in seconds,
 * recent dead letters with their values cut and PII-masked as the connector's own `mask` transform would (the
 * default detectors when it has none), and reset plans from the offsets tooling.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import type { Registry } from 'prom-client';
import { type ConnectorStatus, type LogEvent, type NamedTransform } from '../engine/index.ts';
import { planReset, type ResetSpec, rowEffect } from '../offsets/index.ts';
import { createTransforms, NO_COUNTERS, transformTypes, validateTransforms } from '../transforms/index.ts';
import type { ValidConnector } from './build.ts';
import { DeadLetterLog, type Observers, RecordTimes } from './observe.ts';
import { offsetsAdapterOf, startPolicyKey } from './source-offsets.ts';
import type { Logger } from 'pino';

/** How much of a value is masked, and how much of that is shown. */
const MASKED_BYTES = 8192;
const SHOWN_CHARS = 512;

/** Observers for a connector, masking with its mask transforms. */
export function observersFor(valid: ValidConnector): Observers {
  const masks = maskTransforms(valid);
  return {
    times: new RecordTimes(),
    letters: new DeadLetterLog(),
    shown: (bytes) => shownValue(bytes, masks),
  };
}

function maskTransforms(valid: ValidConnector): NamedTransform[] {
  const own = valid.transforms.filter((t) => t.type.type === 'mask');
  if (own.length > 0) return createTransforms(own, () => NO_COUNTERS);
  const context = {
    connector: valid.name,
    path: 'console',
    topics: valid.source.topics,
    eventHubsNamespace: undefined,
    consumerGroup: valid.source.groupId,
  };
  const defaults = validateTransforms(
    { transforms: 'mask', 'transforms.mask.type': 'mask' },
    context,
    transformTypes,
  );
  return createTransforms(defaults.transforms, () => NO_COUNTERS);
}

/** A value for display: its first bytes as text, masked, cut to a few hundred characters. */
function shownValue(bytes: Buffer | null, masks: readonly NamedTransform[]): string {
  if (bytes === null) return '';
  const head = bytes.subarray(0, MASKED_BYTES);
  // The cut may fall inside a character: up to 3 bytes off the end may be missing from it.
  const text8 = [0, 1, 2, 3].some(
    (n) =>
      n < head.length && n <= bytes.length - head.length + 3 && isUtf8(head.subarray(0, head.length - n)),
  );
  if (!text8) return `(${bytes.length} bytes, not UTF-8)`;
  let text = head.toString('utf8');
  for (const mask of masks) {
    if (mask.apply === undefined) continue;
    try {
      const event = { body: text, timeMs: 0, meta: {} } as unknown as LogEvent;
      const result = mask.apply(event);
      if (typeof result === 'object' && !Array.isArray(result)) {
        const body = (result as LogEvent).body;
        text = typeof body === 'string' ? body : JSON.stringify(body);
      }
    } catch {
      return `(${bytes.length} bytes, not shown: the mask refused it)`;
    }
  }
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Rows of `GET /connectors/{name}/partitions`. */
export function partitionRows(status: ConnectorStatus, observers: Observers | undefined, nowMs = Date.now()) {
  const tracked = new Map(status.partitions.map((p) => [`${p.topic}:${p.partition}`, p]));
  const paused =
    status.state === 'PAUSED'
      ? 'paused by the operator'
      : status.inFlight.full
        ? 'in-flight budget full: waiting for the sinks'
        : undefined;
  return status.offsets.map((o) => {
    const mine = tracked.get(`${o.topic}:${o.partition}`);
    const lag = Number(o.lag);
    return {
      topic: o.topic,
      partition: o.partition,
      committed: o.committed === undefined ? null : Number(o.committed),
      end: Number(o.end),
      lag,
      lag_seconds: observers?.times.lagSeconds(o.topic, o.partition, lag, nowMs) ?? 0,
      assigned_here: mine !== undefined,
      in_flight: mine?.pending ?? 0,
      paused: paused !== undefined || status.state === 'STOPPED',
      ...(paused === undefined ? {} : { paused_reason: paused }),
    };
  });
}

/** `GET /connectors/{name}/dead-letters`: counts from the metrics, the latest from the log. */
export async function deadLetterView(
  registry: Registry,
  connector: string,
  letters: DeadLetterLog | undefined,
  limit: number,
) {
  const metric = await registry.getSingleMetric('logbridge_dead_letters_total')?.get();
  const counts = (metric?.values ?? [])
    .filter((v) => v.labels.connector === connector && v.value > 0)
    .map((v) => ({ stage: String(v.labels.stage), reason: String(v.labels.reason), count: v.value }));
  return {
    by_stage_reason: counts,
    latest: (letters?.latest(limit) ?? []).map((entry) => ({
      time: new Date(entry.timeMs).toISOString(),
      topic: entry.record.topic,
      partition: entry.record.partition,
      offset: entry.record.offset.toString(),
      stage: entry.stage,
      component: entry.component,
      code: entry.code,
      reason: entry.reason,
      key: entry.key,
      value: entry.value,
      value_bytes: entry.valueBytes,
    })),
  };
}

/** `POST /connectors/{name}/offsets/plan`: the reset, planned on the live group, nothing changed. */
export async function resetPlanView(valid: ValidConnector, spec: ResetSpec, logger: Logger) {
  const { source } = valid;
  const plan = await planReset(
    offsetsAdapterOf(valid, logger),
    { groupId: source.groupId, topics: source.topics },
    spec,
    { autoOffsetReset: source.autoOffsetReset, policyKey: startPolicyKey(valid.sourceType) },
  );
  return {
    description: plan.description,
    rows: plan.partitions.map((p) => {
      const { reread, skipped } = rowEffect(p);
      return {
        topic: p.topic,
        partition: p.partition,
        from: p.current === undefined ? null : Number(p.current),
        to: Number(p.target),
        reread: Number(reread),
        skipped: Number(skipped),
        note: p.note ?? null,
      };
    }),
  };
}
