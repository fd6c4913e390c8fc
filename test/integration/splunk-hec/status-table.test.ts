/**
 * Every row of the HEC status table (reference/splunk-hec.md §5) against the HEC test server, with the outcome the
 * engine gets: delivered, retry (and a later resend delivers each event once), partial (only the bad event is
 * dead-lettered, with HEC's text), or fatal with what to fix.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SendOutcome } from '../../../src/engine/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { eventually, events, messages, startSink, type SinkUnderTest } from './sink-harness.ts';

const TOKEN = '11111111-1111-4111-8111-111111111111';
const DISABLED = '22222222-2222-4222-8222-222222222222';
const ACK_TOKEN = '33333333-3333-4333-8333-333333333333';

let hec: HecServer;
let current: SinkUnderTest | undefined;

beforeAll(async () => {
  hec = await startHecServer({
    tokens: {
      [TOKEN]: { indexes: ['main', 'k8s'] },
      [DISABLED]: { disabled: true },
      [ACK_TOKEN]: { ack: true },
    },
  });
});

afterEach(async () => {
  await current?.close();
  current = undefined;
  hec.clearFaults();
  hec.clear();
});

afterAll(async () => {
  await hec.close();
});

async function sink(properties: Record<string, string> = {}): Promise<SinkUnderTest> {
  current = await startSink({
    'splunk.hec.uri': hec.url,
    'splunk.hec.token': TOKEN,
    'splunk.hec.health.check.interval.ms': '0',
    ...properties,
  });
  return current;
}

function describeOutcome(outcome: SendOutcome): string {
  switch (outcome.kind) {
    case 'delivered':
      return 'delivered';
    case 'partial':
      return `partial:${outcome.rejected.map((r) => `${r.index}:${r.cause.code}`).join(',')}`;
    default:
      return `${outcome.kind}:${outcome.cause.code}`;
  }
}

/** After a retry: waits for the endpoint to come back, resends the same batch, and checks nothing is doubled. */
async function resendDelivers(s: SinkUnderTest, count: number): Promise<void> {
  hec.clearFaults();
  await eventually(() => s.sink.health().healthy);
  const batch = s.lastBatch;
  if (batch === undefined) throw new Error('nothing sent');
  expect(describeOutcome(await s.resend(batch))).toBe('delivered');
  expect(messages(hec.events).sort()).toEqual(
    messages(batch.payloads.map((p) => JSON.parse(p.text) as { event: unknown })).sort(),
  );
  expect(hec.events).toHaveLength(count);
}

describe('HEC status table', () => {
  it('code 0: HTTP 200 settles the batch, with a channel header on the request', async () => {
    const s = await sink();
    expect(describeOutcome(await s.send(events(3)))).toBe('delivered');
    expect(messages(hec.events)).toEqual(['event-0', 'event-1', 'event-2']);
    expect(hec.requests[0]?.channel).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['code 1 (token disabled)', { token: DISABLED }, /enable it in Splunk/],
    ['code 2 (token required)', { code: 2 }, /set splunk.hec.token/],
    ['code 3 (invalid authorization)', { code: 3 }, /Authorization header/],
    ['code 4 (invalid token)', { token: '44444444-4444-4444-8444-444444444444' }, /does not know this token/],
    ['code 16 (query string auth)', { code: 16 }, /remove token=/],
  ])('%s fails the connector with LB_HEC_AUTH and what to fix', async (_, how, message) => {
    if ('code' in how) hec.inject({ code: how.code });
    const s = await sink('token' in how ? { 'splunk.hec.token': how.token } : {});
    const outcome = await s.send(events(2));
    expect(describeOutcome(outcome)).toBe('fatal:LB_HEC_AUTH');
    expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(message);
    expect(outcome.kind === 'fatal' && outcome.cause.message).not.toContain(TOKEN);
  });

  it('code 5 (no data) fails with LB_HEC_PROTOCOL', async () => {
    hec.inject({ code: 5 });
    const s = await sink();
    expect(describeOutcome(await s.send(events(1)))).toBe('fatal:LB_HEC_PROTOCOL');
  });

  it.each([6, 12, 13, 15])(
    'code %i with invalid-event-number: only that event is dead-lettered with the server text',
    async (code) => {
      hec.inject({ code, invalidEventNumber: 2, times: 1 });
      const s = await sink();
      const outcome = await s.send(events(5));
      expect(describeOutcome(outcome)).toBe('partial:2:LB_HEC_INVALID_EVENT');
      expect(outcome.kind === 'partial' && outcome.rejected[0]?.cause.message).toMatch(
        new RegExp(`HTTP 400 code ${code} "`),
      );
      expect(messages(hec.events)).toEqual(['event-0', 'event-1', 'event-3', 'event-4']);
    },
  );

  it('code 6 without invalid-event-number: the batch is halved until the bad event is alone', async () => {
    hec.inject({ match: (r) => r.body.includes('event-5"'), code: 6 });
    const s = await sink();
    const outcome = await s.send(events(8));
    expect(describeOutcome(outcome)).toBe('partial:5:LB_HEC_INVALID_EVENT');
    expect(messages(hec.events).sort()).toEqual(
      ['event-0', 'event-1', 'event-2', 'event-3', 'event-4', 'event-6', 'event-7'].sort(),
    );
  });

  it('code 7 (incorrect index) fails with LB_HEC_INDEX naming the index', async () => {
    const s = await sink();
    const outcome = await s.send([...events(1), ...events(1, 1, { index: 'secret' })]);
    expect(describeOutcome(outcome)).toBe('fatal:LB_HEC_INDEX');
    expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(/index "secret"/);
  });

  it.each([
    ['code 8 (500)', { code: 8 }, 'retry:LB_HEC_SERVER'],
    ['code 9 (503 busy)', { code: 9, invalidEventNumber: 0 }, 'retry:LB_HEC_BUSY'],
    ['a proxy 502 with HTML', { status: 502, body: '<html>bad gateway</html>' }, 'retry:LB_HEC_SERVER'],
    ['504', { status: 504 }, 'retry:LB_HEC_SERVER'],
    ['a reset connection', { dropConnection: true }, 'retry:LB_HEC_NETWORK'],
    ['no answer until the request timeout', { hang: true }, 'retry:LB_HEC_NETWORK'],
  ])('%s is retried, and the resend delivers each event once', async (_, fault, expected) => {
    hec.inject(fault);
    const s = await sink({ 'splunk.hec.request.timeout.ms': '300' });
    expect(describeOutcome(await s.send(events(4)))).toBe(expected);
    expect(hec.events).toHaveLength(0);
    await resendDelivers(s, 4);
  });

  it('429 with Retry-After is retried no sooner than the server asked', async () => {
    hec.inject({ code: 26, headers: { 'retry-after': '2' } });
    const s = await sink({ 'splunk.hec.backoff.max.ms': '5000' });
    const outcome = await s.send(events(2));
    expect(describeOutcome(outcome)).toBe('retry:LB_HEC_BUSY');
    expect(outcome.kind === 'retry' && outcome.retryAfterMs).toBeGreaterThanOrEqual(1500);
  });

  it('a stopped server is retried (the start-up health check already backed it off), naming the cause', async () => {
    const other = await startHecServer({ tokens: { [TOKEN]: {} } });
    await other.stop();
    current = await startSink({
      'splunk.hec.uri': other.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.health.check.interval.ms': '0',
    });
    const outcome = await current.send(events(1));
    expect(describeOutcome(outcome)).toMatch(/^retry:LB_HEC_(UNAVAILABLE|NETWORK)$/);
    expect(outcome.kind === 'retry' && outcome.cause.message).toMatch(/ECONNREFUSED/);
    await other.start();
    await eventually(() => current?.sink.health().healthy === true);
    expect(
      describeOutcome(await current.resend(current.lastBatch ?? { events: [], payloads: [], bytes: 0 })),
    ).toBe('delivered');
    expect(other.events).toHaveLength(1);
    await other.close();
  });

  it.each([10, 11])(
    'code %i (channel) with ack on fails with LB_HEC_CHANNEL: a proxy drops the header',
    async (code) => {
      hec.inject({ code });
      const s = await sink({ 'splunk.hec.token': ACK_TOKEN, 'splunk.hec.ack.enabled': 'true' });
      const outcome = await s.send(events(1));
      expect(describeOutcome(outcome)).toBe('fatal:LB_HEC_CHANNEL');
      expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(/X-Splunk-Request-Channel/);
    },
  );

  it('/ack code 14 (ack disabled on the token) settles on HTTP 200 and warns once', async () => {
    hec.inject({ path: 'ack', code: 14 });
    const s = await sink({ 'splunk.hec.token': ACK_TOKEN, 'splunk.hec.ack.enabled': 'true' });
    expect(describeOutcome(await s.send(events(2)))).toBe('delivered');
    expect(describeOutcome(await s.send(events(2, 2)))).toBe('delivered');
    expect(s.logs.filter((line) => /indexer acknowledgement off/.test(line.msg))).toHaveLength(1);
    expect(s.sink.health().detail).toMatch(/acknowledgement is off/);
  });

  it('ack on with a token that has ack off (no ackId) settles on HTTP 200 and warns once', async () => {
    const s = await sink({ 'splunk.hec.ack.enabled': 'true' });
    expect(describeOutcome(await s.send(events(2)))).toBe('delivered');
    expect(describeOutcome(await s.send(events(1, 2)))).toBe('delivered');
    expect(s.logs.filter((line) => /indexer acknowledgement off/.test(line.msg))).toHaveLength(1);
    expect(hec.events).toHaveLength(3);
  });

  it('413: the batch is split until it fits, and every event arrives once', async () => {
    await hec.close();
    hec = await startHecServer({ tokens: { [TOKEN]: {} }, maxContentLength: 400 });
    const s = await sink({ 'splunk.hec.enable.compression': 'false' });
    expect(describeOutcome(await s.send(events(8)))).toBe('delivered');
    expect(messages(hec.events).sort()).toEqual(messages(events(8).map((e) => ({ event: e.body }))).sort());
    expect(hec.requests.some((r) => r.status === 413)).toBe(true);
  });

  it('413 for a single event fails with LB_HEC_REQUEST_TOO_LARGE', async () => {
    await hec.close();
    hec = await startHecServer({ tokens: { [TOKEN]: {} }, maxContentLength: 50 });
    const s = await sink({ 'splunk.hec.enable.compression': 'false' });
    const outcome = await s.send(events(2));
    expect(describeOutcome(outcome)).toBe('fatal:LB_HEC_REQUEST_TOO_LARGE');
    expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(/max_content_length/);
    await hec.close();
    hec = await startHecServer({
      tokens: {
        [TOKEN]: { indexes: ['main', 'k8s'] },
        [DISABLED]: { disabled: true },
        [ACK_TOKEN]: { ack: true },
      },
    });
  });

  it('404 fails with LB_HEC_PROTOCOL pointing at the base URL', async () => {
    hec.inject({ status: 404, code: 404, text: 'The requested URL was not found on this server.' });
    const s = await sink();
    const outcome = await s.send(events(1));
    expect(describeOutcome(outcome)).toBe('fatal:LB_HEC_PROTOCOL');
    expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(/base URL/);
  });

  it('415 fails with LB_HEC_PROTOCOL saying to turn compression off', async () => {
    hec.inject({ status: 415 });
    const s = await sink();
    const outcome = await s.send(events(1));
    expect(outcome.kind === 'fatal' && outcome.cause.message).toMatch(/splunk.hec.enable.compression=false/);
  });

  it('an event over splunk.hec.max.event.bytes is refused before sending', async () => {
    const s = await sink({ 'splunk.hec.max.event.bytes': '2048' });
    const [big] = events(1);
    if (big === undefined) throw new Error('no event');
    expect(() => s.sink.encode({ ...big, body: { msg: 'x'.repeat(4000) } })).toThrow(
      expect.objectContaining({ code: 'LB_HEC_EVENT_TOO_LARGE', disposition: 'reject' }),
    );
    expect(hec.requests).toHaveLength(0);
  });
});
