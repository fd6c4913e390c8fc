import {
  asBridgeError,
  createDecoder,
  DROP,
  HOLD,
  type LogEvent,
  type NamedTransform,
  type RecordFormat,
  recordsOf,
  type SourceRecord,
  type TransformResult,
} from '../../../src/engine/index.ts';
import {
  createTransforms,
  MemoryCounters,
  transformTypes,
  validateTransforms,
} from '../../../src/transforms/index.ts';

/** An event as golden files show it. */
export interface GoldenEvent {
  /** Offsets of the records the event settles (its own first). */
  readonly offsets: string[];
  readonly time: string;
  readonly meta: LogEvent['meta'];
  readonly body: LogEvent['body'];
}

/** What a chain made of some records. */
export interface ChainRun {
  readonly events: GoldenEvent[];
  /** Offsets dropped on purpose, with the transform that dropped them. */
  readonly dropped: string[];
  /** Offsets refused (decoder or transform), with the error code. */
  readonly rejected: string[];
  readonly counters: Record<string, Readonly<Record<string, number>>>;
}

const context = {
  connector: 'golden',
  path: 'config',
  topics: ['logs'],
  eventHubsNamespace: 'acme-logs.servicebus.windows.net',
  consumerGroup: 'logbridge-golden',
};

/**
 * Runs records through a decoder and the chain configured by `properties`, the way the engine's chain does (one
 * state per partition for stateful transforms), then flushes what is still held as if much time had passed.
 */
export function runChain(
  properties: Readonly<Record<string, unknown>>,
  records: readonly SourceRecord[],
  format: RecordFormat = 'auto',
): ChainRun {
  const { transforms, issues } = validateTransforms(properties, context, transformTypes);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  const counters = new Map<string, MemoryCounters>();
  const chain = createTransforms(transforms, (alias) => {
    const memory = new MemoryCounters();
    counters.set(alias, memory);
    return memory;
  });
  const decode = createDecoder({ format, maxRecordBytes: 1_048_576 });
  const out: ChainRun = { events: [], dropped: [], rejected: [], counters: {} };
  const states = new Map<string, unknown>();
  const runFrom = (event: LogEvent, from: number): void => {
    let events = [event];
    for (let index = from; index < chain.length; index += 1) {
      const transform = chain[index] as NamedTransform;
      const next: LogEvent[] = [];
      for (const current of events) {
        const result = step(transform, index, current, states, out);
        if (result !== undefined) next.push(...result);
      }
      events = next;
    }
    out.events.push(...events.map(golden));
  };
  for (const record of records) {
    let decoded;
    try {
      decoded = decode(record);
    } catch (error) {
      out.rejected.push(`${record.position.offset} ${asBridgeError(error).code}`);
      continue;
    }
    if (decoded === 'empty') out.dropped.push(`${record.position.offset} empty`);
    else runFrom(decoded, 0);
  }
  for (const nowMs of [0, Number.MAX_SAFE_INTEGER]) {
    chain.forEach((transform, index) => {
      for (const [key, state] of states) {
        if (!key.startsWith(`${index}:`) || transform.stateful === undefined) continue;
        for (const event of transform.stateful.flush(state, nowMs)) runFrom(event, index + 1);
      }
    });
  }
  for (const [alias, memory] of counters) out.counters[alias] = memory.snapshot();
  return out;
}

function step(
  transform: NamedTransform,
  index: number,
  event: LogEvent,
  states: Map<string, unknown>,
  out: ChainRun,
): LogEvent[] | undefined {
  let result: TransformResult | typeof HOLD;
  try {
    if (transform.stateful === undefined) result = transform.apply(event);
    else {
      const key = `${index}:${event.record.position.topic}:${event.record.position.partition}`;
      if (!states.has(key)) states.set(key, transform.stateful.init());
      result = transform.stateful.apply(states.get(key), event);
    }
  } catch (error) {
    out.rejected.push(`${event.record.position.offset} ${asBridgeError(error).code} at ${transform.name}`);
    return undefined;
  }
  if (result === HOLD) return undefined;
  if (result === DROP) {
    out.dropped.push(`${event.record.position.offset} by ${transform.name}`);
    return undefined;
  }
  return Array.isArray(result) ? [...(result as readonly LogEvent[])] : [result as LogEvent];
}

function golden(event: LogEvent): GoldenEvent {
  return {
    offsets: recordsOf(event).map((r) => r.position.offset.toString()),
    time: new Date(event.timeMs).toISOString(),
    meta: event.meta,
    body: event.body,
  };
}
