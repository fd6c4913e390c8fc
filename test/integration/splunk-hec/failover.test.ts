/**
 * Several endpoints: round-robin, an endpoint that is down, busy or hanging is backed off and skipped without a
 * retry of the batch, health checks bring it back, and ack state stays per endpoint (own channel, own /ack).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { eventually, events, messages, startSink, type SinkUnderTest } from './sink-harness.ts';

const TOKEN = '66666666-6666-4666-8666-666666666666';

let servers: HecServer[] = [];
let current: SinkUnderTest | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function twoServers(ack = false): Promise<[HecServer, HecServer]> {
  const a = await startHecServer({ tokens: { [TOKEN]: { ack } } });
  const b = await startHecServer({ tokens: { [TOKEN]: { ack } } });
  servers = [a, b];
  return [a, b];
}

async function sinkTo(
  targets: readonly HecServer[],
  properties: Record<string, string> = {},
): Promise<SinkUnderTest> {
  current = await startSink({
    'splunk.hec.uri': targets.map((t) => t.url).join(','),
    'splunk.hec.token': TOKEN,
    'splunk.hec.health.check.interval.ms': '100',
    ...properties,
  });
  return current;
}

async function sendMany(s: SinkUnderTest, batches: number, first = 0): Promise<string[]> {
  const kinds: string[] = [];
  for (let b = 0; b < batches; b += 1) kinds.push((await s.send(events(5, first + b * 5))).kind);
  return kinds;
}

describe('HEC endpoints', () => {
  it('spreads batches round-robin over healthy endpoints', async () => {
    const [a, b] = await twoServers();
    const s = await sinkTo([a, b]);
    expect(await sendMany(s, 6)).toEqual(Array(6).fill('delivered'));
    expect(a.count).toBe(15);
    expect(b.count).toBe(15);
  });

  it('with one of two servers down, every batch is delivered by the other without a retry', async () => {
    const [a, b] = await twoServers();
    await b.stop();
    const s = await sinkTo([a, b]);
    expect(await sendMany(s, 8)).toEqual(Array(8).fill('delivered'));
    expect(a.count).toBe(40);
    expect(s.sink.health().healthy).toBe(true);
    expect(s.sink.health().detail).toMatch(/backed off .*ECONNREFUSED/);
    expect(await s.registry.metrics()).toMatch(
      new RegExp(`logbridge_hec_endpoint_up\\{[^}]*endpoint="127.0.0.1:${b.port}"\\} 0`),
    );

    await b.start();
    await eventually(() => s.sink.health().detail === undefined);
    expect(await sendMany(s, 4, 40)).toEqual(Array(4).fill('delivered'));
    expect(b.count).toBeGreaterThan(0);
    expect(messages([...a.events, ...b.events]).sort()).toEqual(
      messages(events(60).map((e) => ({ event: e.body }))).sort(),
    );
  });

  it('a busy endpoint (503 code 9, health 18) is skipped until its health check says healthy again', async () => {
    const [a, b] = await twoServers();
    const busy = a.injectBusy();
    const s = await sinkTo([a, b]);
    expect(await sendMany(s, 4)).toEqual(Array(4).fill('delivered'));
    expect(b.count).toBe(20);
    expect(s.sink.health().detail).toMatch(/503/);
    busy.remove();
    await eventually(() => s.sink.health().detail === undefined);
    await sendMany(s, 4);
    expect(a.count).toBeGreaterThan(0);
  });

  it('a hanging endpoint costs one request timeout, then the other takes over', async () => {
    const [a, b] = await twoServers();
    a.inject({ hang: true });
    // /health of the hanging server still answers: a back-off shorter than the test would let a health check
    // reinstate it, and a slow run would then time out on it a second time.
    const s = await sinkTo([a, b], {
      'splunk.hec.request.timeout.ms': '300',
      'splunk.hec.health.check.interval.ms': '0',
      'splunk.hec.backoff.initial.ms': '60000',
    });
    expect(await sendMany(s, 4)).toEqual(Array(4).fill('delivered'));
    expect(b.count).toBe(20);
    expect(await s.registry.metrics()).toMatch(/logbridge_hec_failovers_total\{[^}]+\} 1/);
  });

  it('when every endpoint is down the batch is retried, and delivered once one comes back', async () => {
    const [a, b] = await twoServers();
    await a.stop();
    await b.stop();
    const s = await sinkTo([a, b]);
    const outcome = await s.send(events(3));
    expect(outcome.kind).toBe('retry');
    await b.start();
    await eventually(() => s.sink.health().healthy);
    expect(await s.resend(s.lastBatch ?? { events: [], payloads: [], bytes: 0 })).toEqual({
      kind: 'delivered',
    });
    expect(b.count).toBe(3);
  });

  it('with acks, each endpoint has its own channel and its ack ids are polled there only', async () => {
    const [a, b] = await twoServers(true);
    const s = await sinkTo([a, b], { 'splunk.hec.ack.enabled': 'true' });
    expect(await sendMany(s, 4)).toEqual(Array(4).fill('delivered'));
    const channelOf = (server: HecServer) =>
      new Set(server.requests.filter((r) => r.endpoint !== 'health').map((r) => r.channel));
    expect(channelOf(a).size).toBe(1);
    expect(channelOf(b).size).toBe(1);
    expect([...channelOf(a)][0]).not.toBe([...channelOf(b)][0]);
    for (const server of [a, b]) {
      const asked = server.requests.filter((r) => r.endpoint === 'ack').flatMap((r) => r.ackQuery ?? []);
      const issued = server.requests.flatMap((r) => (r.ackId === undefined ? [] : [r.ackId]));
      expect(new Set(asked)).toEqual(new Set(issued));
    }
  });
});
