import { pino } from 'pino';
import { Registry } from 'prom-client';
import {
  type CommitOffset,
  type ConnectorParts,
  createDecoder,
  createEngineMetrics,
  type Encoded,
  type LogEvent,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type Source,
  type SourceContext,
  type SourceRecord,
} from '../../../src/engine/index.ts';

/** An in-memory source: tests push records through the context like the kafka source does. */
export class MemorySource implements Source {
  readonly id = 'memory';
  context: SourceContext | undefined;
  readonly commits: CommitOffset[][] = [];
  stopped = false;

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    context.assigned([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    await Promise.resolve();
  }

  /**
   * Offers records as a fetch loop would: stops at a full budget and reports how many were taken. When all were
   * taken, their partitions are reported caught up (nothing more waits to be read), else behind.
   */
  offer(records: readonly SourceRecord[]): number {
    let taken = 0;
    for (const r of records) {
      if (this.context === undefined || this.context.isFull()) break;
      this.context.accept(r);
      taken += 1;
    }
    const partitions = new Map(records.map((r) => [r.position.partition, r.position.topic]));
    for (const [partition, topic] of partitions)
      this.context?.caughtUp({ topic, partition }, taken === records.length);
    return taken;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.commits.push([...offsets]);
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.resolve();
  }

  /** The last committed offset of a partition. */
  committed(partition: number): bigint | undefined {
    for (let i = this.commits.length - 1; i >= 0; i -= 1) {
      const found = this.commits[i]?.find((c) => c.partition === partition);
      if (found) return found.offset;
    }
    return undefined;
  }
}

/** What a scripted sink sends: the event itself (the engine keeps only its records), and its text. */
export interface ScriptedPayload {
  readonly event: LogEvent;
  readonly text: string;
}

/** A scripted sink: each send takes the next outcome (default delivered) and records what it received. */
export class ScriptedSink implements Sink<ScriptedPayload> {
  readonly id: string;
  readonly batch = { maxEvents: 10, maxBytes: 1_000_000, lingerMs: 5 };
  readonly maxInFlight = 2;
  readonly received: LogEvent[] = [];
  readonly outcomes: (SendOutcome | Error)[] = [];
  held: PromiseWithResolvers<void> | undefined;
  encodeError: Error | undefined;

  constructor(id = 'scripted') {
    this.id = id;
  }

  async connect(): Promise<void> {
    await Promise.resolve();
  }

  encode(event: LogEvent): Encoded<ScriptedPayload> {
    if (this.encodeError) throw this.encodeError;
    const text = typeof event.body === 'string' ? event.body : JSON.stringify(event.body);
    return { payload: { event, text }, bytes: text.length };
  }

  async send(batch: SinkBatch<ScriptedPayload>): Promise<SendOutcome> {
    await this.held?.promise;
    const next = this.outcomes.shift() ?? { kind: 'delivered' };
    if (next instanceof Error) throw next;
    const sent = batch.payloads.map((payload) => payload.event);
    if (next.kind === 'delivered') this.received.push(...sent);
    if (next.kind === 'partial') {
      const bad = new Set(next.rejected.map((r) => r.index));
      this.received.push(...sent.filter((_, i) => !bad.has(i)));
    }
    return next;
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/** Connector parts around a memory source and scripted sinks. */
export function parts(
  source: Source,
  sinks: Sink[],
  overrides: Partial<ConnectorParts> = {},
): ConnectorParts {
  return {
    name: 'test',
    source,
    decode: createDecoder({ format: 'auto', maxRecordBytes: 1000 }),
    transforms: [],
    sinks,
    deadLetters: undefined,
    tolerance: 'none',
    budget: { maxRecords: 100, maxBytes: 1_000_000 },
    commit: { intervalMs: 60_000, minGapMs: 0 },
    drainTimeoutMs: 2000,
    backoff: { baseMs: 1, capMs: 5 },
    metrics: createEngineMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}
