/**
 * Indexer acknowledgement against the HEC test server: a batch settles only once `/ack` says true; ids are polled in
 * batches per channel; the number of requests awaiting acks is bounded; an ack timeout, a forgotten channel or an
 * `/ack` channel error makes the batch go out again; with ack off, HTTP 200 settles.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import {
  eventually,
  events,
  messages,
  settlesWithin,
  startSink,
  type SinkUnderTest,
} from './sink-harness.ts';

const TOKEN = '55555555-5555-4555-8555-555555555555';

let hec: HecServer;
let current: SinkUnderTest | undefined;

beforeAll(async () => {
  hec = await startHecServer({ tokens: { [TOKEN]: { ack: true } } });
});

beforeEach(() => {
  hec.setAck({ delayMs: 0, lossRate: 0 });
});

afterEach(async () => {
  await current?.close();
  current = undefined;
  hec.releaseAcks();
  hec.clearFaults();
  hec.clear();
});

afterAll(async () => {
  await hec.close();
});

async function ackSink(properties: Record<string, string> = {}): Promise<SinkUnderTest> {
  current = await startSink({
    'splunk.hec.uri': hec.url,
    'splunk.hec.token': TOKEN,
    'splunk.hec.ack.enabled': 'true',
    ...properties,
  });
  return current;
}

const dataRequests = (): number => hec.requests.filter((r) => r.endpoint === 'event').length;

describe('indexer acknowledgement on', () => {
  it('settles a batch only once /ack reports its id true', async () => {
    hec.setAck({ delayMs: Infinity });
    const s = await ackSink();
    const sending = s.send(events(3));
    await hec.waitForEvents(3);
    expect(await settlesWithin(sending, 300)).toBe(false);
    const ackQueries = hec.requests.filter((r) => r.endpoint === 'ack');
    expect(ackQueries.length).toBeGreaterThan(1);
    expect(ackQueries.every((r) => r.channel === hec.requests[0]?.channel)).toBe(true);
    hec.releaseAcks();
    expect(await sending).toEqual({ kind: 'delivered' });
  });

  it('asks about many ack ids of a channel in one /ack request', async () => {
    hec.setAck({ delayMs: Infinity });
    const s = await ackSink({ 'splunk.hec.ack.poll.interval.ms': '100' });
    const sends = [s.send(events(2, 0)), s.send(events(2, 2)), s.send(events(2, 4))];
    await hec.waitForEvents(6);
    await eventually(() => hec.requests.some((r) => (r.ackQuery?.length ?? 0) === 3));
    hec.releaseAcks();
    expect(await Promise.all(sends)).toEqual([
      { kind: 'delivered' },
      { kind: 'delivered' },
      { kind: 'delivered' },
    ]);
  });

  it('bounds the requests awaiting acks (splunk.hec.ack.max.pending): the next waits, memory does not grow', async () => {
    hec.setAck({ delayMs: Infinity });
    const s = await ackSink({ 'splunk.hec.ack.max.pending': '2' });
    const sends = [s.send(events(1, 0)), s.send(events(1, 1)), s.send(events(1, 2))];
    await hec.waitForEvents(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(dataRequests()).toBe(2);
    hec.releaseAcks();
    await eventually(() => dataRequests() === 3);
    hec.releaseAcks();
    expect(await Promise.all(sends)).toEqual([
      { kind: 'delivered' },
      { kind: 'delivered' },
      { kind: 'delivered' },
    ]);
  });

  it('an ack that never comes times out (splunk.hec.event.timeout) and the resend is delivered', async () => {
    hec.setAck({ lossRate: 1 });
    const s = await ackSink({ 'splunk.hec.event.timeout': '1' });
    const outcome = await s.send(events(2));
    expect(outcome).toMatchObject({ kind: 'retry', cause: { code: 'LB_HEC_ACK_TIMEOUT' } });
    hec.setAck({ lossRate: 0 });
    expect(await s.resend(s.lastBatch ?? { events: [], payloads: [], bytes: 0 })).toEqual({
      kind: 'delivered',
    });
    // At least once: the first copy may have been indexed too; kafka_* fields tell the copies apart.
    expect(messages(hec.events)).toEqual(['event-0', 'event-1', 'event-0', 'event-1']);
    expect(hec.events[2]?.fields).toMatchObject({
      kafka_topic: 'logs',
      kafka_partition: '0',
      kafka_offset: '0',
    });
  });

  it('recovers when the indexer forgot the channel: what awaited it is sent again', async () => {
    hec.setAck({ delayMs: Infinity });
    const s = await ackSink();
    const first = s.send(events(2));
    const firstBatch = s.lastBatch;
    await hec.waitForEvents(2);
    hec.forgetChannels();
    hec.setAck({ delayMs: 0 });
    // The restarted channel numbers from 0 again: the next request's ack id collides with the pending one.
    expect(await s.send(events(1, 2))).toEqual({ kind: 'delivered' });
    expect(await first).toMatchObject({ kind: 'retry', cause: { code: 'LB_HEC_ACK_LOST' } });
    expect(await s.resend(firstBatch ?? { events: [], payloads: [], bytes: 0 })).toEqual({
      kind: 'delivered',
    });
  });

  it('resends at once what awaited acks when a restarted indexer numbers the channel from 0 again', async () => {
    const s = await ackSink({ 'splunk.hec.max.inflight.requests': '2' });
    for (let i = 0; i < 6; i += 1) expect(await s.send(events(1, i))).toEqual({ kind: 'delivered' });
    hec.setAck({ delayMs: Infinity });
    const waiting = s.send(events(1, 6));
    const waitingBatch = s.lastBatch;
    await hec.waitForEvents(7);
    hec.forgetChannels();
    hec.setAck({ delayMs: 0 });
    expect(await s.send(events(1, 7))).toEqual({ kind: 'delivered' });
    expect(await settlesWithin(waiting, 2000)).toBe(true);
    expect(await waiting).toMatchObject({ kind: 'retry', cause: { code: 'LB_HEC_ACK_LOST' } });
    expect(await s.resend(waitingBatch ?? { events: [], payloads: [], bytes: 0 })).toEqual({
      kind: 'delivered',
    });
  });

  it.each([10, 11])('/ack answering code %i for the channel resends instead of stalling', async (code) => {
    hec.inject({ path: 'ack', code, times: 1 });
    const s = await ackSink();
    const outcome = await s.send(events(1));
    expect(outcome).toMatchObject({ kind: 'retry', cause: { code: 'LB_HEC_ACK_LOST' } });
    expect(await s.resend(s.lastBatch ?? { events: [], payloads: [], bytes: 0 })).toEqual({
      kind: 'delivered',
    });
  });

  it('reports ack latency and pending acks in metrics', async () => {
    const s = await ackSink();
    await s.send(events(2));
    const text = await s.registry.metrics();
    expect(text).toMatch(
      /logbridge_hec_ack_duration_seconds_count\{connector="hec-test",endpoint="127\.0\.0\.1:\d+"\} 1/,
    );
    expect(text).toMatch(/logbridge_hec_pending_acks\{connector="hec-test",endpoint="127\.0\.0\.1:\d+"\} 0/);
    expect(text).toMatch(
      /logbridge_hec_acks_total\{connector="hec-test",endpoint="[^"]+",outcome="acked"\} 1/,
    );
  });
});

describe('indexer acknowledgement off', () => {
  it('settles on HTTP 200 without asking /ack', async () => {
    current = await startSink({ 'splunk.hec.uri': hec.url, 'splunk.hec.token': TOKEN });
    hec.setAck({ delayMs: Infinity });
    expect(await current.send(events(3))).toEqual({ kind: 'delivered' });
    expect(hec.requests.filter((r) => r.endpoint === 'ack')).toHaveLength(0);
    // The channel header still goes on every request: the token needs it even when we do not poll.
    expect(hec.requests.every((r) => r.channel !== undefined)).toBe(true);
  });
});
