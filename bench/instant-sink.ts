/**
 * A sink that acknowledges every batch at once, encoding like a JSON sink: what engine benchmarks deliver to, so that
 * they measure the engine and the source, not a destination.
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import {
  Connector,
  createDecoder,
  createEngineMetrics,
  type Encoded,
  type LogEvent,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type Source,
} from '../src/engine/index.ts';

/** Acknowledges at once; `done` resolves once `expected` events were delivered. */
export class InstantSink implements Sink<string> {
  readonly id = 'instant';
  readonly batch = { maxEvents: 1000, maxBytes: 1_048_576, lingerMs: 50 };
  readonly maxInFlight = 4;
  delivered = 0;
  readonly done = Promise.withResolvers<true>();
  readonly #expected: number;

  constructor(expected = Infinity) {
    this.#expected = expected;
  }

  async connect(): Promise<void> {
    await Promise.resolve();
  }

  encode(event: LogEvent): Encoded<string> {
    const json = JSON.stringify({ event: event.body, offset: event.record.position.offset.toString() });
    return { payload: json, bytes: json.length };
  }

  async send(batch: SinkBatch<string>): Promise<SendOutcome> {
    await Promise.resolve();
    this.delivered += batch.events.length;
    if (this.delivered >= this.#expected) this.done.resolve(true);
    return { kind: 'delivered' };
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/**
 * A connector from `source` to `sink` with no transforms, the engine's defaults and the budget of
 * `BENCH_MAX_RECORDS`/`BENCH_MAX_BYTES`: what the source benchmarks run, so that they differ only in the source.
 */
export function sourceBenchConnector(source: Source, sink: InstantSink, logger: Logger): Connector {
  return new Connector({
    name: 'bench',
    source,
    decode: createDecoder({ format: 'auto', maxRecordBytes: 1_048_576 }),
    transforms: [],
    sinks: [sink],
    deadLetters: undefined,
    tolerance: 'none',
    budget: {
      maxRecords: Number(process.env.BENCH_MAX_RECORDS ?? 40_000),
      maxBytes: Number(process.env.BENCH_MAX_BYTES ?? 24 * 1024 * 1024),
    },
    commit: { intervalMs: 5000, minGapMs: 250 },
    drainTimeoutMs: 30_000,
    metrics: createEngineMetrics(new Registry()),
    logger,
  });
}
