/**
 * Feeds a sink the way the engine's sink driver does, for sink benchmarks: `sink.maxInFlight` lanes each sending
 * batches of `sink.batch.maxEvents` encoded events.
 */
import type { LogEvent, Sink } from '../src/engine/index.ts';

/** Sends `count` events made by `makeEvent`; every batch must be delivered. @returns the encoded bytes. */
export async function driveSink<P>(
  sink: Sink<P>,
  count: number,
  makeEvent: (i: number) => LogEvent,
): Promise<number> {
  const signal = new AbortController().signal;
  let next = 0;
  let bytes = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const events: LogEvent[] = [];
      const payloads: P[] = [];
      for (; events.length < sink.batch.maxEvents && next < count; next += 1) {
        const event = makeEvent(next);
        const encoded = sink.encode(event);
        events.push(event);
        payloads.push(encoded.payload);
        bytes += encoded.bytes;
      }
      const outcome = await sink.send({ events, payloads, bytes: 0 }, signal);
      if (outcome.kind !== 'delivered') throw new Error(`batch not delivered: ${JSON.stringify(outcome)}`);
    }
  };
  await Promise.all(Array.from({ length: sink.maxInFlight }, lane));
  return bytes;
}
