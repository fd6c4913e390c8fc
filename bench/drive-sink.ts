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

/** A topic template over the bodies of {@link routedEvent}: acme/<cluster>/<app>/<container>. */
export const ROUTED_TOPIC = 'acme/${kubernetes.cluster}/${kubernetes.labels.app}/${kubernetes.container_id}';

/** Bodies of 4 clusters × 8 apps × 16 containers, 1 KiB of JSON each, built once (input is not what is measured). */
const bodies = Array.from({ length: 512 }, (_, i) => ({
  log: `request ${i} served in 12ms `.padEnd(900, 'x'),
  stream: 'stdout',
  kubernetes: {
    cluster: `cluster${i % 4}`,
    container_id: `c${(i >> 5) % 16}`,
    labels: { app: `app${(i >> 2) % 8}` },
  },
}));
const value = Buffer.from(JSON.stringify(bodies[0]));

/** Event i of a routed workload, with its own Kafka coordinates. */
export function routedEvent(i: number): LogEvent {
  return {
    record: {
      position: { topic: 'bench', partition: i % 8, offset: BigInt(i) },
      key: null,
      value,
      headers: {},
      timestampMs: 0,
      sizeBytes: value.length,
    },
    body: bodies[i % bodies.length] ?? {},
    timeMs: 0,
    meta: {},
  };
}
