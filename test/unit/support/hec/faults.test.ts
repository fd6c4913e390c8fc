import { Agent, errors } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultSet } from '../../../support/hec/faults.ts';
import type { FaultRequest, HecServer } from '../../../support/hec/index.ts';
import { startHecServer } from '../../../support/hec/index.ts';
import { envelopes, send } from './hec-client.ts';

const EVENT = '/services/collector/event';
const HEALTH = '/services/collector/health';

let hec: HecServer;

beforeEach(async () => {
  hec = await startHecServer();
});

afterEach(async () => {
  await hec.close();
});

function post(...events: readonly unknown[]) {
  return send(hec.url, EVENT, { token: hec.token, body: envelopes(...events) });
}

const request: FaultRequest = {
  method: 'POST',
  path: EVENT,
  endpoint: 'event',
  query: new URLSearchParams(),
  headers: {},
  channel: undefined,
  body: Buffer.from('{"event":1}'),
};

describe('FaultSet', () => {
  it('retires a rule after `times` hits', () => {
    const faults = new FaultSet();
    const handle = faults.add({ code: 9, times: 2 }, 0);
    expect(faults.take(request, 0)?.kind).toBe('answer');
    expect(faults.take(request, 0)?.kind).toBe('answer');
    expect(faults.take(request, 0)).toBeUndefined();
    expect(handle.hits).toBe(2);
  });

  it('retires a rule `forMs` after it was added', () => {
    const faults = new FaultSet();
    faults.add({ code: 9, forMs: 1000 }, 5000);
    expect(faults.take(request, 5999)?.kind).toBe('answer');
    expect(faults.take(request, 6000)).toBeUndefined();
  });

  it('tries rules in order and skips those whose path or match do not fit', () => {
    const faults = new FaultSet();
    faults.add({ path: 'health', code: 18 }, 0);
    faults.add({ match: (r) => r.body.includes('poison'), code: 6 }, 0);
    faults.add({ path: ['event', 'raw'], code: 8 }, 0);
    const action = faults.take(request, 0);
    expect(action?.kind === 'answer' ? action.answer : undefined).toMatchObject({ status: 500 });
    const poisoned = faults.take({ ...request, body: Buffer.from('{"event":"poison"}') }, 0);
    expect(poisoned?.kind === 'answer' ? poisoned.answer : undefined).toMatchObject({ status: 400 });
  });

  it('refuses rules without an outcome or with bad limits', () => {
    const faults = new FaultSet();
    expect(() => faults.add({ times: 1 }, 0)).toThrow(TypeError);
    expect(() => faults.add({ code: 9, times: 0 }, 0)).toThrow(RangeError);
    expect(() => faults.add({ code: 9, forMs: -1 }, 0)).toThrow(RangeError);
  });
});

describe('fault injection over HTTP', () => {
  it('answers an injected code `times` times, then recovers; data endpoints only by default', async () => {
    const handle = hec.inject({ status: 503, code: 9, times: 2 });
    const health = await send(hec.url, HEALTH, { method: 'GET' });
    expect(health.json).toEqual({ text: 'HEC is healthy', code: 17 });
    expect((await post({ event: 1 })).json).toEqual({ text: 'Server is busy', code: 9 });
    expect((await post({ event: 2 })).status).toBe(503);
    expect((await post({ event: 3 })).json).toEqual({ text: 'Success', code: 0 });
    expect(handle.hits).toBe(2);
    expect(hec.events.map((event) => event.event)).toEqual([3]);
    expect(hec.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([503, 503]);
  });

  it('keeps a rule for `forMs`', async () => {
    hec.inject({ code: 9, forMs: 500 });
    expect((await post({ event: 1 })).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await post({ event: 2 })).status).toBe(200);
  });

  it('matches on the decoded body and adds invalid-event-number, text and headers', async () => {
    hec.inject({
      match: (r) => r.body.toString().includes('poison'),
      code: 6,
      invalidEventNumber: 1,
      text: 'Invalid data format: poison',
      headers: { 'x-why': 'test' },
    });
    const ok = await send(hec.url, EVENT, {
      token: hec.token,
      gzip: true,
      body: envelopes({ event: 'fine' }),
    });
    expect(ok.status).toBe(200);
    const bad = await send(hec.url, EVENT, {
      token: hec.token,
      gzip: true,
      body: envelopes({ event: 'fine' }, { event: 'poison' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ text: 'Invalid data format: poison', code: 6, 'invalid-event-number': 1 });
    expect(bad.headers['x-why']).toBe('test');
    expect(hec.count).toBe(1);
  });

  it('answers a bare status with a raw body, as a proxy would', async () => {
    hec.inject({ status: 502, body: '<html>Bad Gateway</html>', times: 1 });
    const reply = await post({ event: 1 });
    expect(reply.status).toBe(502);
    expect(reply.text).toBe('<html>Bad Gateway</html>');
  });

  it('makes /health unhealthy with a health rule', async () => {
    hec.inject({ path: 'health', code: 18 });
    const reply = await send(hec.url, HEALTH, { method: 'GET' });
    expect(reply.status).toBe(503);
    expect(reply.json).toEqual({ text: 'HEC is unhealthy, queues are full', code: 18 });
    expect((await post({ event: 1 })).status).toBe(200);
  });

  it('is busy with injectBusy until the handle is removed', async () => {
    const busy = hec.injectBusy();
    expect((await post({ event: 1 })).json).toEqual({
      text: 'Server is busy',
      code: 9,
      'invalid-event-number': 0,
    });
    expect((await send(hec.url, HEALTH, { method: 'GET' })).json).toMatchObject({ code: 18 });
    busy.remove();
    expect(busy.active).toBe(false);
    expect((await post({ event: 2 })).status).toBe(200);
    expect((await send(hec.url, HEALTH, { method: 'GET' })).status).toBe(200);
    expect(busy.hits).toBe(2);
  });

  it('drops the connection without an answer', async () => {
    hec.inject({ dropConnection: true, times: 1 });
    await expect(post({ event: 1 })).rejects.toBeInstanceOf(errors.SocketError);
    expect((await post({ event: 2 })).status).toBe(200);
    expect(hec.requests[0]).toMatchObject({ status: 0, fault: true });
  });

  it('hangs until the client gives up', async () => {
    hec.inject({ hang: true, times: 1 });
    const impatient = new Agent({ headersTimeout: 200 });
    try {
      await expect(
        send(hec.url, EVENT, { token: hec.token, body: envelopes({ event: 1 }), dispatcher: impatient }),
      ).rejects.toBeInstanceOf(errors.HeadersTimeoutError);
    } finally {
      await impatient.close();
    }
    expect(hec.count).toBe(0);
  });

  it('delays normal processing with a delay-only rule', async () => {
    hec.inject({ delayMs: 150, times: 1 });
    const started = Date.now();
    expect((await post({ event: 1 })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(hec.count).toBe(1);
  });

  it('applies path "all" to /ack and /health too', async () => {
    hec.inject({ path: 'all', code: 8 });
    expect((await send(hec.url, HEALTH, { method: 'GET' })).status).toBe(500);
    expect((await send(hec.url, '/services/collector/ack', { token: hec.token, body: '{}' })).status).toBe(
      500,
    );
    hec.clearFaults();
    expect((await send(hec.url, HEALTH, { method: 'GET' })).status).toBe(200);
  });
});

describe('partial indexing', () => {
  it('records nothing of a 400 by default', async () => {
    await post({ event: 'a' }, { event: 'b' }, { nope: 1 }, { event: 'd' });
    expect(hec.count).toBe(0);
  });

  it('records the events before invalid-event-number when enabled, for real and injected 400s', async () => {
    const partial = await startHecServer({ partialIndexing: true });
    try {
      const body = envelopes({ event: 'a' }, { event: 'b' }, { nope: 1 }, { event: 'd' });
      const reply = await send(partial.url, EVENT, { token: partial.token, body });
      expect(reply.json).toEqual({ text: 'Event field is required', code: 12, 'invalid-event-number': 2 });
      expect(partial.events.map((event) => event.event)).toEqual(['a', 'b']);
      expect(partial.requests.at(-1)?.events).toBe(2);

      partial.inject({ code: 6, invalidEventNumber: 1, times: 1 });
      await send(partial.url, EVENT, {
        token: partial.token,
        body: envelopes({ event: 'c' }, { event: 'e' }),
      });
      expect(partial.events.map((event) => event.event)).toEqual(['a', 'b', 'c']);
    } finally {
      await partial.close();
    }
  });
});
