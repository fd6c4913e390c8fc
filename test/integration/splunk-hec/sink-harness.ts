/**
 * Builds HEC sinks the way a connector does (schema → validate → create) and sends batches to them directly, so a
 * test sees each `SendOutcome` the engine would.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { LogEvent, SendOutcome, SinkBatch, SourceRecord } from '../../../src/engine/index.ts';
import { type HecPayload, HecSink, splunkHecSpec } from '../../../src/sinks/splunk-hec/index.ts';

/** A sink under test, with its metrics registry and captured log lines. */
export interface SinkUnderTest {
  readonly sink: HecSink;
  readonly registry: Registry;
  /** Parsed pino lines (level ≥ info). */
  readonly logs: { level: number; msg: string; [key: string]: unknown }[];
  /** Encodes events and sends them as one batch. */
  send(events: readonly LogEvent[], signal?: AbortSignal): Promise<SendOutcome>;
  /** Sends an already built batch again (the engine's retry of the same batch). */
  resend(batch: SinkBatch<HecPayload>, signal?: AbortSignal): Promise<SendOutcome>;
  /** The batch of the last `send`. */
  readonly lastBatch: SinkBatch<HecPayload> | undefined;
  close(): Promise<void>;
}

/** Fast defaults for tests: small timeouts and polls, no linger. */
export const FAST = {
  'splunk.hec.linger.ms': '0',
  'splunk.hec.request.timeout.ms': '2000',
  'splunk.hec.ack.poll.interval.ms': '20',
  'splunk.hec.backoff.initial.ms': '50',
  'splunk.hec.backoff.max.ms': '200',
} as const;

/** Validates `properties` (plus FAST defaults) and creates the sink; throws listing the issues if invalid. */
export async function startSink(
  properties: Readonly<Record<string, string>>,
  topics: readonly string[] = ['logs'],
): Promise<SinkUnderTest> {
  const context = { connector: 'hec-test', topics, path: 'config' };
  const { config, issues } = splunkHecSpec.validate({ ...FAST, ...properties }, context);
  if (config === undefined) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const logs: SinkUnderTest['logs'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as SinkUnderTest['logs'][number]);
      done();
    },
  });
  const registry = new Registry();
  const sink = splunkHecSpec.create(config, context, { logger: pino({ level: 'info' }, stream), registry });
  if (!(sink instanceof HecSink)) throw new Error('splunk-hec did not create a HecSink');
  await sink.connect(new AbortController().signal);
  let lastBatch: SinkBatch<HecPayload> | undefined;
  const resend = (batch: SinkBatch<HecPayload>, signal = new AbortController().signal) =>
    sink.send(batch, signal);
  return {
    sink,
    registry,
    logs,
    get lastBatch() {
      return lastBatch;
    },
    send(events, signal) {
      const encoded = events.map((event) => sink.encode(event));
      lastBatch = {
        events,
        payloads: encoded.map((e) => e.payload),
        bytes: encoded.reduce((sum, e) => sum + e.bytes, 0),
      };
      return resend(lastBatch, signal);
    },
    resend,
    close: () => sink.close(0),
  };
}

/** A record of topic `logs`, partition 0. */
export function recordAt(offset: number, topic = 'logs', partition = 0): SourceRecord {
  return {
    position: { topic, partition, offset: BigInt(offset) },
    key: null,
    value: Buffer.from('x'),
    headers: {},
    timestampMs: 1_700_000_000_000 + offset,
    sizeBytes: 1,
  };
}

/** `count` events with bodies `{ msg: "event-<offset>" }` from offset `first`. */
export function events(count: number, first = 0, meta: LogEvent['meta'] = {}): LogEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const record = recordAt(first + i);
    return { record, body: { msg: `event-${first + i}` }, timeMs: record.timestampMs, meta };
  });
}

/** The `msg` of each event the HEC server accepted. */
export function messages(received: readonly { event: unknown }[]): string[] {
  return received.map((e) => (e.event as { msg?: string }).msg ?? JSON.stringify(e.event));
}

/** Resolves `true` if `promise` settles within `ms`, else `false` (without cancelling it). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  const settled = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return settled;
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
