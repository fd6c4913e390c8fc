import {
  DROP,
  type JsonObject,
  type LogEvent,
  type NamedTransform,
  recordsOf as engineRecordsOf,
  type SourceRecord,
} from '../../../src/engine/index.ts';
import { MemoryCounters, type TransformType } from '../../../src/transforms/index.ts';

/** A record for transform tests. */
export function record(
  offset: number,
  value: string,
  options: { key?: string; headers?: Record<string, string>; partition?: number; topic?: string } = {},
): SourceRecord {
  const bytes = Buffer.from(value);
  return {
    position: { topic: options.topic ?? 'logs', partition: options.partition ?? 0, offset: BigInt(offset) },
    key: options.key === undefined ? null : Buffer.from(options.key),
    value: bytes,
    headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
    timestampMs: 1_732_436_100_000,
    sizeBytes: bytes.length,
  };
}

/** An event as the decoder makes it: a JSON object body for JSON values, else text. */
export function event(
  body: JsonObject | string,
  options: Parameters<typeof record>[2] & { offset?: number } = {},
): LogEvent {
  const value = typeof body === 'string' ? body : JSON.stringify(body);
  const source = record(options.offset ?? 0, value, options);
  return { record: source, body, timeMs: source.timestampMs, meta: {} };
}

export const context = {
  connector: 'lab',
  alias: 't',
  path: 'config.transforms.t',
  topics: ['logs'],
  eventHubsNamespace: 'acme-logs.servicebus.windows.net',
  consumerGroup: 'logbridge-lab',
};

/**
 * Validates `options` with a transform type and builds it; throws with the issues when invalid.
 * @returns the transform and its counters.
 */
export function build<C>(
  type: TransformType<C>,
  options: Readonly<Record<string, unknown>>,
): { transform: NamedTransform; counters: MemoryCounters } {
  const { config, issues } = type.validate(options, context);
  if (config === undefined || issues.length > 0) throw new Error(JSON.stringify(issues));
  const counters = new MemoryCounters();
  return { transform: type.create(config, context, { counters }), counters };
}

/** Issues of `options` for a transform type. */
export function issuesOf<C>(type: TransformType<C>, options: Readonly<Record<string, unknown>>): string[] {
  return type.validate(options, context).issues.map((issue) => `${issue.path}: ${issue.message}`);
}

/** Applies a stateless transform; `[]` for DROP. */
export function run(transform: NamedTransform, input: LogEvent): LogEvent[] {
  if (transform.apply === undefined) throw new Error('stateful');
  const result = transform.apply(input);
  if (result === DROP) return [];
  return Array.isArray(result) ? [...(result as readonly LogEvent[])] : [result as LogEvent];
}

/** The records an event settles: its own and those of the events it joined. */
export function recordsOf(e: LogEvent): SourceRecord[] {
  return engineRecordsOf(e);
}
