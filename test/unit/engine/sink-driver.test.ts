/**
 * The sink driver on its own, with a scripted sink: what a retry resends (only what is not durable yet), and in what
 * order an ordered sink (solace, mqtt) sees batches again after failures, whatever their backoffs.
 */
import { describe, expect, it } from 'vitest';
import {
  type Carrier,
  BridgeError,
  type Encoded,
  type LogEvent,
  type SendOutcome,
  type Sink,
  type SinkBatch,
} from '../../../src/engine/index.ts';
import { type DeliveryListener, SinkDriver } from '../../../src/engine/sink-driver.ts';
import { record } from './records.ts';

class Lost extends BridgeError {
  readonly code = 'LB_TEST_LOST';
  readonly disposition = 'retry';
}
class Refused extends BridgeError {
  readonly code = 'LB_TEST_REFUSED';
  readonly disposition = 'reject';
}

/** One `send` call as the sink saw it, answered by the test. */
interface Call {
  readonly offsets: number[];
  readonly answer: (outcome: SendOutcome) => void;
}

/** A sink that records every send and lets the test answer each one. */
class ManualSink implements Sink<string> {
  readonly id = 'manual';
  readonly batch: { maxEvents: number; maxBytes: number; lingerMs: number };
  readonly maxInFlight: number;
  readonly ordered: boolean;
  readonly calls: Call[] = [];
  /** Offsets in the order the destination received them, over all sends. */
  readonly received: number[] = [];
  readonly batches: SinkBatch<string>[] = [];

  constructor(options: { maxInFlight: number; ordered: boolean; maxEvents?: number }) {
    this.batch = { maxEvents: options.maxEvents ?? 2, maxBytes: 1_000_000, lingerMs: 60_000 };
    this.maxInFlight = options.maxInFlight;
    this.ordered = options.ordered;
  }

  async connect(): Promise<void> {
    await Promise.resolve();
  }

  encode(event: LogEvent): Encoded<string> {
    return { payload: String(event.record.position.offset), bytes: 10 };
  }

  send(batch: SinkBatch<string>): Promise<SendOutcome> {
    this.batches.push(batch);
    const offsets = batch.payloads.map(Number);
    this.received.push(...offsets);
    const { promise, resolve } = Promise.withResolvers<SendOutcome>();
    this.calls.push({ offsets, answer: resolve });
    return promise;
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/** What the driver reported: offsets delivered, rejected, and the number of retries. */
class Reports {
  readonly delivered: number[] = [];
  readonly rejected: number[] = [];
  retries = 0;

  listener(): DeliveryListener {
    return {
      delivered: (events) => {
        this.delivered.push(...events.map(offsetOf));
      },
      rejected: (event) => {
        this.rejected.push(offsetOf(event));
      },
      fatal: (cause) => {
        throw cause;
      },
      retrying: () => {
        this.retries += 1;
      },
    };
  }
}

const offsetOf = (event: Carrier): number => Number(event.record.position.offset);

const event = (offset: number, partition = 0): LogEvent => ({
  record: record('t', partition, offset),
  body: `line ${offset}`,
  timeMs: 0,
  meta: {},
});

async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Successive backoff draws from a list (a fixed "jitter"), so a test decides which retry comes first. */
function draws(values: readonly number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

function driverFor(sink: ManualSink, reports: Reports, random: () => number = () => 0): SinkDriver {
  return new SinkDriver(sink, reports.listener(), {
    signal: new AbortController().signal,
    backoff: { baseMs: 20, capMs: 20, random },
  });
}

/** Offsets in the order a subscriber first saw each one (duplicates of earlier ones left out). */
function firstSeen(offsets: readonly number[]): number[] {
  const seen = new Set<number>();
  return offsets.filter((o) => !seen.has(o) && seen.add(o));
}

const lost = (): SendOutcome => ({ kind: 'retry', cause: new Lost('session lost') });

describe('sink driver: what it keeps of an event', () => {
  it('keeps only the records an event settles once it is encoded, not its body', async () => {
    const sink = new ManualSink({ maxInFlight: 1, ordered: false });
    const reports = new Reports();
    const driver = driverFor(sink, reports);
    const joined = event(1);
    driver.push(event(0));
    driver.push({ ...event(2), joined: [joined] });
    await until(() => sink.calls.length === 1, 'a send');
    expect(sink.batches[0]?.events).toEqual([
      { record: event(0).record },
      { record: event(2).record, joined: [joined] },
    ]);
    sink.calls[0]?.answer({ kind: 'delivered' });
    await until(() => reports.delivered.length === 2, 'the outcome');
    expect(reports.delivered).toEqual([0, 2]);
  });
});

describe('sink driver: per-event progress across retries', () => {
  it('settles what a failed send made durable and resends only the rest', async () => {
    const sink = new ManualSink({ maxInFlight: 1, ordered: false, maxEvents: 4 });
    const reports = new Reports();
    const driver = driverFor(sink, reports);
    for (const offset of [0, 1, 2, 3]) driver.push(event(offset));
    await until(() => sink.calls.length === 1, 'the first send');
    sink.calls[0]?.answer({
      kind: 'retry',
      cause: new Lost('half acknowledged'),
      delivered: [0, 1],
      rejected: [{ index: 2, cause: new Refused('too large') }],
    });
    await until(() => sink.calls.length === 2, 'the retry');
    expect(reports.delivered).toEqual([0, 1]);
    expect(reports.rejected).toEqual([2]);
    expect(sink.calls[1]?.offsets).toEqual([3]);
    sink.calls[1]?.answer({ kind: 'delivered' });
    await driver.idle();
    expect(reports.delivered).toEqual([0, 1, 3]);
    expect(sink.received).toEqual([0, 1, 2, 3, 3]);
  });

  it('resends the same batch when the sink reports no progress (the sink may track it itself)', async () => {
    const sink = new ManualSink({ maxInFlight: 1, ordered: false });
    const reports = new Reports();
    const driver = driverFor(sink, reports);
    driver.push(event(0));
    driver.push(event(1));
    await until(() => sink.calls.length === 1, 'the first send');
    sink.calls[0]?.answer(lost());
    await until(() => sink.calls.length === 2, 'the retry');
    expect(sink.calls[1]?.offsets).toEqual([0, 1]);
    sink.calls[1]?.answer({ kind: 'delivered' });
    await driver.idle();
    expect(reports.delivered).toEqual([0, 1]);
  });
});

describe('sink driver: order of an ordered sink', () => {
  it('resends failed batches in their order, whatever their backoffs draw', async () => {
    const sink = new ManualSink({ maxInFlight: 4, ordered: true });
    const reports = new Reports();
    // The first failed batch draws the longest wait, the last one none.
    const driver = driverFor(sink, reports, draws([0.99, 0.66, 0.33, 0]));
    for (let offset = 0; offset < 8; offset += 1) driver.push(event(offset));
    await until(() => sink.calls.length === 4, 'four batches in flight');
    for (const call of sink.calls.slice(0, 4)) call.answer(lost());
    for (let answered = 4; answered < 8; answered += 1) {
      await until(() => sink.calls.length > answered, `resend ${answered - 3}`);
      sink.calls[answered]?.answer({ kind: 'delivered' });
    }
    await driver.idle();
    expect(sink.received.slice(8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(reports.delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('holds a failed batch until the earlier ones in flight are settled', async () => {
    const sink = new ManualSink({ maxInFlight: 2, ordered: true });
    const reports = new Reports();
    const driver = driverFor(sink, reports);
    for (const offset of [0, 1, 2, 3]) driver.push(event(offset));
    await until(() => sink.calls.length === 2, 'two batches in flight');
    sink.calls[1]?.answer(lost());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sink.calls).toHaveLength(2); // [2, 3] waits: [0, 1] may still fail and must go first
    sink.calls[0]?.answer(lost());
    await until(() => sink.calls.length === 3, 'the first resend');
    expect(sink.calls[2]?.offsets).toEqual([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sink.calls).toHaveLength(3); // one at a time while recovering
    sink.calls[2]?.answer({ kind: 'delivered' });
    await until(() => sink.calls.length === 4, 'the second resend');
    expect(sink.calls[3]?.offsets).toEqual([2, 3]);
    sink.calls[3]?.answer({ kind: 'delivered' });
    await driver.idle();
    expect(firstSeen(sink.received)).toEqual([0, 1, 2, 3]);
  });

  it('sends no new batch while a failed one is being resent, then fills the window again', async () => {
    const sink = new ManualSink({ maxInFlight: 2, ordered: true });
    const reports = new Reports();
    const driver = driverFor(sink, reports);
    driver.push(event(0));
    driver.push(event(1));
    await until(() => sink.calls.length === 1, 'the first batch');
    sink.calls[0]?.answer(lost());
    await until(() => reports.retries === 1, 'the failure to be seen');
    for (const offset of [2, 3, 4, 5]) driver.push(event(offset));
    await until(() => sink.calls.length === 2, 'the resend');
    expect(sink.calls[1]?.offsets).toEqual([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sink.calls).toHaveLength(2);
    sink.calls[1]?.answer({ kind: 'delivered' });
    await until(() => sink.calls.length === 4, 'both new batches at once');
    for (const call of sink.calls.slice(2)) call.answer({ kind: 'delivered' });
    await driver.idle();
    expect(sink.received).toEqual([0, 1, 0, 1, 2, 3, 4, 5]);
  });

  it('resends a half-acknowledged batch without what became durable, still in order', async () => {
    const sink = new ManualSink({ maxInFlight: 2, ordered: true, maxEvents: 3 });
    const reports = new Reports();
    const driver = driverFor(sink, reports, draws([0.9, 0]));
    for (let offset = 0; offset < 6; offset += 1) driver.push(event(offset));
    await until(() => sink.calls.length === 2, 'two batches in flight');
    sink.calls[0]?.answer({ kind: 'retry', cause: new Lost('lost'), delivered: [0] });
    sink.calls[1]?.answer(lost());
    await until(() => sink.calls.length === 3, 'the first resend');
    expect(sink.calls[2]?.offsets).toEqual([1, 2]);
    sink.calls[2]?.answer({ kind: 'delivered' });
    await until(() => sink.calls.length === 4, 'the second resend');
    expect(sink.calls[3]?.offsets).toEqual([3, 4, 5]);
    sink.calls[3]?.answer({ kind: 'delivered' });
    await driver.idle();
    expect(reports.delivered).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('sink driver: an unordered sink (HEC)', () => {
  it('retries each batch on its own backoff, without holding the others back', async () => {
    const sink = new ManualSink({ maxInFlight: 2, ordered: false });
    const reports = new Reports();
    const driver = driverFor(sink, reports, draws([0.99, 0]));
    for (const offset of [0, 1, 2, 3, 4, 5]) driver.push(event(offset));
    await until(() => sink.calls.length === 2, 'two batches in flight');
    sink.calls[0]?.answer(lost());
    sink.calls[1]?.answer({ kind: 'delivered' });
    await until(() => sink.calls.length === 3, 'the next batch while the first waits');
    expect(sink.calls[2]?.offsets).toEqual([4, 5]);
    sink.calls[2]?.answer({ kind: 'delivered' });
    await until(() => sink.calls.length === 4, 'the retry');
    sink.calls[3]?.answer({ kind: 'delivered' });
    await driver.idle();
    expect(reports.delivered).toEqual([2, 3, 4, 5, 0, 1]);
  });
});
