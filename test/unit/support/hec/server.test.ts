import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { HecEvent, HecServer } from '../../../support/hec/index.ts';
import { createTestCertificates, DEFAULT_TOKEN, startHecServer } from '../../../support/hec/index.ts';
import { CHANNEL, envelopes, send } from './hec-client.ts';

const EVENT = '/services/collector/event';
const HEALTH = '/services/collector/health';

const servers: HecServer[] = [];

async function start(options: Parameters<typeof startHecServer>[0] = {}): Promise<HecServer> {
  const hec = await startHecServer(options);
  servers.push(hec);
  return hec;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((hec) => hec.close()));
});

/** The error code a fresh connection gets, or 'ok'. */
async function freshConnection(url: string): Promise<string> {
  const agent = new Agent();
  try {
    await send(url, HEALTH, { method: 'GET', dispatcher: agent });
    return 'ok';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  } finally {
    await agent.close();
  }
}

describe('lifecycle', () => {
  it('listens on a free loopback port with the default token', async () => {
    const hec = await start();
    expect(hec.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hec.token).toBe(DEFAULT_TOKEN);
    expect(hec.listening).toBe(true);
  });

  it('refuses connections after stop() and serves the same port after start(), keeping state', async () => {
    const hec = await start({ tokens: { t: { ack: true } } });
    const { url, port } = hec;
    await send(url, EVENT, { token: 't', channel: CHANNEL, body: envelopes({ event: 1 }) });
    await hec.stop();
    expect(hec.listening).toBe(false);
    expect(await freshConnection(url)).toBe('ECONNREFUSED');
    await hec.start();
    expect(hec.port).toBe(port);
    expect(await freshConnection(url)).toBe('ok');
    const reply = await send(url, EVENT, { token: 't', channel: CHANNEL, body: envelopes({ event: 2 }) });
    expect(reply.json).toEqual({ text: 'Success', code: 0, ackId: 1 });
    expect(hec.count).toBe(2);
  });

  it('cuts open keep-alive connections on stop()', async () => {
    const hec = await start();
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    try {
      await send(hec.url, HEALTH, { method: 'GET', dispatcher: agent });
      await hec.stop();
      await expect(send(hec.url, HEALTH, { method: 'GET', dispatcher: agent })).rejects.toThrow();
    } finally {
      await agent.close();
    }
  });

  it('cannot start again after close()', async () => {
    const hec = await start();
    await hec.close();
    await expect(hec.start()).rejects.toThrow(/closed/);
  });

  it('listens on a fixed port', async () => {
    const probe = await start();
    const port = probe.port;
    await probe.close();
    const hec = await start({ port });
    expect(hec.url).toBe(`http://127.0.0.1:${port}`);
  });
});

describe('TLS', () => {
  const certificates = createTestCertificates();

  it('serves HTTPS to a client trusting the CA, and passes SNI through', async () => {
    const servernames: string[] = [];
    const hec = await start({
      tls: {
        cert: certificates.cert,
        key: certificates.key,
        SNICallback: (servername, done) => {
          servernames.push(servername);
          done(null, createSecureContext({ cert: certificates.cert, key: certificates.key }));
        },
      },
    });
    expect(hec.url).toMatch(/^https:\/\//);
    const trusting = new Agent({
      connect: { ca: readFileSync(certificates.caFile), servername: 'localhost' },
    });
    try {
      const reply = await send(hec.url, EVENT, {
        token: hec.token,
        body: envelopes({ event: 1 }),
        dispatcher: trusting,
      });
      expect(reply.json).toEqual({ text: 'Success', code: 0 });
      expect(servernames).toEqual(['localhost']);
    } finally {
      await trusting.close();
    }
  });

  it('is refused by a client that does not trust the CA or expects another name', async () => {
    const hec = await start({ tls: { cert: certificates.cert, key: certificates.key } });
    const untrusting = new Agent();
    const wrongName = new Agent({ connect: { ca: certificates.ca, servername: 'splunk.example.com' } });
    try {
      await expect(send(hec.url, HEALTH, { method: 'GET', dispatcher: untrusting })).rejects.toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      await expect(send(hec.url, HEALTH, { method: 'GET', dispatcher: wrongName })).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
    } finally {
      await untrusting.close();
      await wrongName.close();
    }
  });
});

describe('recording', () => {
  it('logs requests with Authorization and ?token= redacted', async () => {
    const hec = await start({ tokens: { secret: { allowQueryStringAuth: true } } });
    await send(hec.url, EVENT, {
      token: 'secret',
      channel: CHANNEL,
      body: envelopes({ event: 1 }, { event: 2 }),
    });
    await send(hec.url, `${EVENT}?token=secret&index=main`, { body: envelopes({ event: 3 }) });
    const [first, second] = hec.requests;
    expect(first).toMatchObject({
      method: 'POST',
      path: EVENT,
      endpoint: 'event',
      channel: CHANNEL,
      status: 200,
      code: 0,
      events: 2,
      gzip: false,
      fault: false,
      reply: { text: 'Success', code: 0 },
    });
    expect(first?.headers.authorization).toBe('REDACTED');
    expect(first?.headers['x-splunk-request-channel']).toBe(CHANNEL);
    expect(second?.query).toEqual({ token: 'REDACTED', index: 'main' });
    expect(JSON.stringify(hec.requests)).not.toContain('secret');
  });

  it('only counts with record: "count", and hands every event to onEvent', async () => {
    const seen: unknown[] = [];
    const hec = await start({ record: 'count', onEvent: (event: HecEvent) => seen.push(event.event) });
    await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 'a' }, { event: 'b' }) });
    expect(hec.count).toBe(2);
    expect(hec.events).toEqual([]);
    expect(seen).toEqual(['a', 'b']);
  });

  it('writes accepted events as JSON lines without the token', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hec-out-')), 'nested', 'events.jsonl');
    const hec = await start({ out, tokens: { 'lab-token': {} } });
    await send(hec.url, EVENT, {
      token: 'lab-token',
      body: envelopes({ event: 'a', time: 1 }, { event: { b: 2 } }),
    });
    await send(hec.url, EVENT, { token: 'lab-token', body: envelopes({ nope: 1 }) });
    await hec.close();
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      expect.objectContaining({ endpoint: 'event', event: 'a', time: 1, index: 'main' }),
      expect.objectContaining({ endpoint: 'event', event: { b: 2 } }),
    ]);
    expect(readFileSync(out, 'utf8')).not.toContain('lab-token');
  });

  it('waits for events, and times out with the count so far', async () => {
    const hec = await start();
    const waiting = hec.waitForEvents(3, 5000);
    await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 1 }, { event: 2 }) });
    await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 3 }) });
    await expect(waiting).resolves.toBeUndefined();
    await expect(hec.waitForEvents(4, 50)).rejects.toThrow('3 of 4 events after 50 ms');
  });

  it('clears events, count and the request log', async () => {
    const hec = await start();
    await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 1 }) });
    hec.clear();
    expect([hec.count, hec.events.length, hec.requests.length]).toEqual([0, 0, 0]);
  });

  it('keeps at least the last maxRequestLog requests', async () => {
    const hec = await start({ maxRequestLog: 3 });
    for (let n = 0; n < 10; n++) await send(hec.url, HEALTH, { method: 'GET' });
    expect(hec.requests.length).toBeGreaterThanOrEqual(3);
    expect(hec.requests.length).toBeLessThan(6);
    expect(hec.requests.at(-1)?.status).toBe(200);
  });
});

describe('throughput sanity check', () => {
  it('accepts batches of ~1 MiB of 1 KiB events (rate printed, not asserted)', async () => {
    const hec = await start({ record: 'count' });
    const batch = envelopes(
      ...Array.from({ length: 1024 }, (_, n) => ({
        time: 1_700_000_000,
        event: { n, message: 'm'.repeat(960) },
      })),
    );
    const batches = 30;
    const started = performance.now();
    for (let n = 0; n < batches; n++) {
      const reply = await send(hec.url, EVENT, { token: hec.token, body: batch });
      expect(reply.status).toBe(200);
    }
    const seconds = (performance.now() - started) / 1000;
    expect(hec.count).toBe(batches * 1024);
    console.log(
      `HEC test server: ${Math.round(hec.count / seconds)} events/s ` +
        `(${batches} sequential requests of ${(Buffer.byteLength(batch) / 1_048_576).toFixed(2)} MiB, one process)`,
    );
  });
});
