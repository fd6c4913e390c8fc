/**
 * A sink that acknowledges every batch at once, encoding like a JSON sink: what engine benchmarks deliver to, so that
 * they measure the engine and the source, not a destination.
 */
import type { Encoded, LogEvent, SendOutcome, Sink, SinkBatch } from '../src/engine/index.ts';

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
