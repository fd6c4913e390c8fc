import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { HecServer, HecServerOptions } from '../../../support/hec/index.ts';
import { startHecServer } from '../../../support/hec/index.ts';
import { CHANNEL, envelopes, send } from './hec-client.ts';

const EVENT = '/services/collector/event';
const RAW = '/services/collector/raw';

let hec: HecServer;

async function start(options: HecServerOptions = {}): Promise<HecServer> {
  hec = await startHecServer(options);
  return hec;
}

afterEach(async () => {
  await hec.close();
});

/** `count` events of about 1 KiB each. */
function kibEvents(count: number): string {
  return envelopes(...Array.from({ length: count }, (_, n) => ({ event: { n, pad: 'x'.repeat(1000) } })));
}

describe('content encoding', () => {
  it('decodes gzip bodies and logs wire and decoded sizes', async () => {
    await start();
    const body = kibEvents(50);
    const reply = await send(hec.url, EVENT, { token: hec.token, gzip: true, body });
    expect(reply.json).toEqual({ text: 'Success', code: 0 });
    expect(hec.events.map((event) => (event.event as { n: number }).n)).toEqual([...Array(50).keys()]);
    const logged = hec.requests.at(-1);
    expect(logged?.gzip).toBe(true);
    expect(logged?.decodedBytes).toBe(Buffer.byteLength(body));
    expect(logged?.bytes).toBe(gzipSync(body).length);
  });

  it('decodes a multi-member gzip stream', async () => {
    await start();
    const body = Buffer.concat([gzipSync(envelopes({ event: 1 })), gzipSync(envelopes({ event: 2 }))]);
    const reply = await send(hec.url, EVENT, {
      token: hec.token,
      body,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(reply.status).toBe(200);
    expect(hec.events.map((event) => event.event)).toEqual([1, 2]);
  });

  it('accepts x-gzip and identity', async () => {
    await start();
    const gz = gzipSync(envelopes({ event: 'x' }));
    const xgzip = await send(hec.url, EVENT, {
      token: hec.token,
      body: gz,
      headers: { 'content-encoding': 'x-gzip' },
    });
    expect(xgzip.status).toBe(200);
    const identity = await send(hec.url, EVENT, {
      token: hec.token,
      body: envelopes({ event: 'y' }),
      headers: { 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(200);
    expect(hec.events.map((event) => event.event)).toEqual(['x', 'y']);
  });

  it('answers 415 for other encodings', async () => {
    await start();
    const reply = await send(hec.url, EVENT, {
      token: hec.token,
      body: envelopes({ event: 'x' }),
      headers: { 'content-encoding': 'br' },
    });
    expect(reply.status).toBe(415);
    expect(hec.count).toBe(0);
  });

  it('answers 400 code 6 for a corrupt gzip stream', async () => {
    await start();
    const reply = await send(hec.url, EVENT, {
      token: hec.token,
      body: Buffer.from('definitely not gzip'),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ text: 'Invalid data format', code: 6 });
  });
});

describe('max_content_length', () => {
  it('answers 413 past the limit on the wire, and accepts a body at the limit', async () => {
    const body = kibEvents(4);
    await start({ maxContentLength: Buffer.byteLength(body) });
    expect((await send(hec.url, EVENT, { token: hec.token, body })).status).toBe(200);
    const over = await send(hec.url, EVENT, { token: hec.token, body: `${body} ` });
    expect(over.status).toBe(413);
    expect(over.text).toBe(
      `Content-Length of ${Buffer.byteLength(body) + 1} too large (maximum is ${Buffer.byteLength(body)})`,
    );
    expect(hec.count).toBe(4);
    // The connection is still usable after a 413.
    expect(
      (await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 'after' }) })).status,
    ).toBe(200);
  });

  it('counts wire bytes by default, so a gzip body that decodes past the limit passes', async () => {
    const body = kibEvents(20);
    await start({ maxContentLength: 4096 });
    expect(gzipSync(body).length).toBeLessThan(4096);
    expect((await send(hec.url, EVENT, { token: hec.token, gzip: true, body })).status).toBe(200);
  });

  it('counts decoded bytes when asked to', async () => {
    const body = kibEvents(20);
    await start({ maxContentLength: 4096, maxContentLengthOf: 'decoded' });
    expect((await send(hec.url, EVENT, { token: hec.token, gzip: true, body })).status).toBe(413);
    expect((await send(hec.url, EVENT, { token: hec.token, gzip: true, body: kibEvents(2) })).status).toBe(
      200,
    );
    expect((await send(hec.url, EVENT, { token: hec.token, body })).status).toBe(413);
  });

  it('applies to chunked bodies without Content-Length', async () => {
    await start({ maxContentLength: 2048 });
    const response = await request(`${hec.url}${EVENT}`, {
      method: 'POST',
      headers: { authorization: `Splunk ${hec.token}` },
      body: Readable.from([Buffer.from(kibEvents(2)), Buffer.from(kibEvents(2))]),
    });
    await response.body.text();
    expect(response.statusCode).toBe(413);
    expect(hec.requests.at(-1)?.headers['transfer-encoding']).toBe('chunked');
  });
});

describe('/raw', () => {
  it('splits lines into events with metadata from the query string', async () => {
    await start({ tokens: { t: { indexes: ['main', 'apps'] } } });
    const query = '?host=h1&source=s1&sourcetype=st1&index=apps&time=1700000000.25';
    const reply = await send(hec.url, `${RAW}${query}`, {
      token: 't',
      gzip: true,
      body: 'one\ntwo\r\n\nthree',
    });
    expect(reply.json).toEqual({ text: 'Success', code: 0 });
    expect(hec.events).toEqual(
      ['one', 'two', 'three'].map((event) => ({
        endpoint: 'raw',
        event,
        time: 1700000000.25,
        host: 'h1',
        source: 's1',
        sourcetype: 'st1',
        index: 'apps',
        fields: undefined,
        channel: undefined,
        token: 't',
        ackId: undefined,
      })),
    );
  });

  it('refuses a forbidden index, a bad ?time=, and an empty body', async () => {
    await start({ tokens: { t: { indexes: ['main'] } } });
    expect((await send(hec.url, `${RAW}?index=other`, { token: 't', body: 'x' })).json).toEqual({
      text: 'Incorrect index',
      code: 7,
    });
    expect((await send(hec.url, `${RAW}?time=noon`, { token: 't', body: 'x' })).json).toMatchObject({
      code: 6,
    });
    expect((await send(hec.url, RAW, { token: 't', body: '' })).json).toMatchObject({ code: 5 });
  });

  it('uses a configured line breaker', async () => {
    await start({ rawLineBreaker: /\|/ });
    await send(hec.url, RAW, { token: hec.token, body: 'a|b' });
    expect(hec.events.map((event) => event.event)).toEqual(['a', 'b']);
  });

  it('needs a channel with ack on, and then returns an ackId', async () => {
    await start({ tokens: { t: { ack: true } } });
    expect((await send(hec.url, RAW, { token: 't', body: 'x' })).json).toMatchObject({ code: 10 });
    const reply = await send(hec.url, `${RAW}?channel=${CHANNEL}`, { token: 't', body: 'x\ny' });
    expect(reply.json).toEqual({ text: 'Success', code: 0, ackId: 0 });
    expect(hec.events.map((event) => [event.event, event.ackId, event.channel])).toEqual([
      ['x', 0, CHANNEL],
      ['y', 0, CHANNEL],
    ]);
  });

  it('needs a channel without ack only when rawRequiresChannel is set', async () => {
    await start({ rawRequiresChannel: true });
    expect((await send(hec.url, RAW, { token: hec.token, body: 'x' })).json).toMatchObject({ code: 10 });
    expect((await send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 1 }) })).status).toBe(
      200,
    );
  });
});

describe('/event query-string defaults', () => {
  it('applies query metadata to events that name none', async () => {
    await start();
    await send(hec.url, `${EVENT}?index=q&sourcetype=qs&channel=${CHANNEL}`, {
      token: hec.token,
      body: envelopes({ event: 1 }, { event: 2, index: 'own' }),
    });
    expect(hec.events.map((event) => [event.index, event.sourcetype, event.channel])).toEqual([
      ['q', 'qs', CHANNEL],
      ['own', 'qs', CHANNEL],
    ]);
  });

  it('uses token defaults: default index, host, source and sourcetype', async () => {
    await start({ tokens: { t: { defaultIndex: 'd', host: 'th', name: 'lab', sourcetype: 'tst' } } });
    await send(hec.url, EVENT, { token: 't', body: envelopes({ event: 1 }) });
    expect(hec.events[0]).toMatchObject({ index: 'd', host: 'th', source: 'http:lab', sourcetype: 'tst' });
  });
});
