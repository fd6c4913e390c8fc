import { afterEach, describe, expect, it } from 'vitest';
import { AckRegistry } from '../../../support/hec/acks.ts';
import type { HecServer } from '../../../support/hec/index.ts';
import { startHecServer } from '../../../support/hec/index.ts';
import { CHANNEL, envelopes, OTHER_CHANNEL, send } from './hec-client.ts';

const LIMITS = { maxIdleMs: 600_000, maxPendingPerChannel: 1_000_000, maxChannels: 1_000_000 };

function registry(settings = { delayMs: 0, lossRate: 0 }, limits = LIMITS, random = Math.random) {
  return new AckRegistry(settings, limits, random);
}

describe('AckRegistry', () => {
  it('counts ack ids per channel from 0', () => {
    const acks = registry();
    expect([acks.issue('a', 0), acks.issue('a', 0), acks.issue('b', 0), acks.issue('a', 0)]).toEqual([
      0, 1, 0, 2,
    ]);
  });

  it('reports true once, then false; unknown ids and channels are false', () => {
    const acks = registry();
    acks.issue('a', 0);
    acks.issue('a', 0);
    expect(acks.query('a', [0, 1, 7], 0)).toEqual({ '0': true, '1': true, '7': false });
    expect(acks.query('a', [0, 1], 0)).toEqual({ '0': false, '1': false });
    expect(acks.query('nobody', [0], 0)).toEqual({ '0': false });
  });

  it('answers a repeated id once, with its first status', () => {
    const acks = registry();
    acks.issue('a', 0);
    expect(acks.query('a', [0, 0], 0)).toEqual({ '0': true });
  });

  it('holds an ack until its delay has passed', () => {
    const acks = registry({ delayMs: 1000, lossRate: 0 });
    acks.issue('a', 5000);
    expect(acks.query('a', [0], 5999)).toEqual({ '0': false });
    expect(acks.query('a', [0], 6000)).toEqual({ '0': true });
  });

  it('never reports a lost ack, even after release', () => {
    const draws = [0.1, 0.9];
    const acks = registry({ delayMs: 0, lossRate: 0.5 }, LIMITS, () => draws.shift() ?? 0);
    acks.issue('a', 0);
    acks.issue('a', 0);
    acks.release(10);
    expect(acks.query('a', [0, 1], 10)).toEqual({ '0': false, '1': true });
    expect(acks.pendingCount('a')).toBe(1);
  });

  it('holds infinitely delayed acks until released', () => {
    const acks = registry({ delayMs: Number.POSITIVE_INFINITY, lossRate: 0 });
    acks.issue('a', 0);
    expect(acks.query('a', [0], 500_000)).toEqual({ '0': false });
    acks.release(500_000);
    expect(acks.query('a', [0], 500_000)).toEqual({ '0': true });
  });

  it('applies new settings to ids issued afterwards only', () => {
    const acks = registry();
    acks.issue('a', 0);
    acks.configure({ lossRate: 1 });
    acks.issue('a', 0);
    expect(acks.query('a', [0, 1], 0)).toEqual({ '0': true, '1': false });
    expect(() => {
      acks.configure({ lossRate: 2 });
    }).toThrow(RangeError);
  });

  it('forgets a channel idle past maxIdleMs: pending ids are lost and ids restart at 0', () => {
    const acks = registry({ delayMs: 0, lossRate: 0 }, { ...LIMITS, maxIdleMs: 100 });
    acks.issue('a', 0);
    acks.issue('a', 0);
    expect(acks.query('a', [0], 100)).toEqual({ '0': true });
    expect(acks.query('a', [1], 201)).toEqual({ '1': false });
    expect(acks.issue('a', 202)).toBe(0);
  });

  it('drops the oldest pending id past maxPendingPerChannel', () => {
    const acks = registry({ delayMs: 0, lossRate: 0 }, { ...LIMITS, maxPendingPerChannel: 2 });
    for (let n = 0; n < 3; n++) acks.issue('a', 0);
    expect(acks.query('a', [0, 1, 2], 0)).toEqual({ '0': false, '1': true, '2': true });
  });

  it('refuses a channel past maxChannels', () => {
    const acks = registry({ delayMs: 0, lossRate: 0 }, { ...LIMITS, maxChannels: 1 });
    expect(acks.issue('a', 0)).toBe(0);
    expect(acks.issue('b', 0)).toBeUndefined();
    acks.forget();
    expect(acks.issue('b', 0)).toBe(0);
  });
});

describe('indexer acknowledgement over HTTP', () => {
  let hec: HecServer;

  afterEach(async () => {
    await hec.close();
  });

  async function post(channel: string, ...events: readonly unknown[]) {
    return send(hec.url, '/services/collector/event', {
      token: hec.token,
      channel,
      body: envelopes(...events),
    });
  }

  async function ack(channel: string, ids: readonly number[], via: 'header' | 'query' = 'header') {
    const path = via === 'query' ? `/services/collector/ack?channel=${channel}` : '/services/collector/ack';
    const reply = await send(hec.url, path, {
      token: hec.token,
      body: JSON.stringify({ acks: ids }),
      ...(via === 'header' ? { channel } : {}),
    });
    expect(reply.status).toBe(200);
    return reply.json;
  }

  it('returns ackId per channel and reports each true once', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } } });
    expect((await post(CHANNEL, { event: 1 })).json).toEqual({ text: 'Success', code: 0, ackId: 0 });
    expect((await post(CHANNEL, { event: 2 })).json).toEqual({ text: 'Success', code: 0, ackId: 1 });
    expect((await post(OTHER_CHANNEL, { event: 3 })).json).toEqual({ text: 'Success', code: 0, ackId: 0 });
    expect(await ack(CHANNEL, [0, 1, 2])).toEqual({ acks: { '0': true, '1': true, '2': false } });
    expect(await ack(CHANNEL, [0, 1], 'query')).toEqual({ acks: { '0': false, '1': false } });
    expect(await ack(OTHER_CHANNEL, [0])).toEqual({ acks: { '0': true } });
    expect(hec.events.map((event) => [event.event, event.channel, event.ackId])).toEqual([
      [1, CHANNEL, 0],
      [2, CHANNEL, 1],
      [3, OTHER_CHANNEL, 0],
    ]);
  });

  it('gives no ackId when the token has ack off', async () => {
    hec = await startHecServer({ tokens: { t: {} } });
    expect((await post(CHANNEL, { event: 1 })).json).toEqual({ text: 'Success', code: 0 });
    expect(hec.events[0]?.ackId).toBeUndefined();
  });

  it('holds acks with a delay, then releases them on demand', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } }, ack: { delayMs: Number.POSITIVE_INFINITY } });
    await post(CHANNEL, { event: 1 });
    expect(await ack(CHANNEL, [0])).toEqual({ acks: { '0': false } });
    expect(hec.pendingAcks(CHANNEL)).toBe(1);
    hec.releaseAcks();
    expect(await ack(CHANNEL, [0])).toEqual({ acks: { '0': true } });
    expect(hec.pendingAcks()).toBe(0);
  });

  it('reports a delayed ack once its time has come', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } }, ack: { delayMs: 500 } });
    await post(CHANNEL, { event: 1 });
    expect(await ack(CHANNEL, [0])).toEqual({ acks: { '0': false } });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await ack(CHANNEL, [0])).toEqual({ acks: { '0': true } });
  });

  it('loses acks at the configured rate, changed at run time', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } } });
    hec.setAck({ lossRate: 1 });
    await post(CHANNEL, { event: 1 });
    hec.setAck({ lossRate: 0 });
    await post(CHANNEL, { event: 2 });
    hec.releaseAcks();
    expect(await ack(CHANNEL, [0, 1])).toEqual({ acks: { '0': false, '1': true } });
  });

  it('forgets channels on demand: ids restart at 0 and old ids report false', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } }, ack: { delayMs: Number.POSITIVE_INFINITY } });
    await post(CHANNEL, { event: 1 });
    await post(CHANNEL, { event: 2 });
    hec.forgetChannels();
    expect((await post(CHANNEL, { event: 3 })).json).toEqual({ text: 'Success', code: 0, ackId: 0 });
    hec.releaseAcks();
    expect(await ack(CHANNEL, [0, 1])).toEqual({ acks: { '0': true, '1': false } });
  });

  it('refuses malformed /ack bodies and a missing channel', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } } });
    const path = '/services/collector/ack';
    for (const body of ['{"acks":"0"}', '{"acks":[-1]}', '{"acks":[1.5]}', 'nope', '[0]']) {
      const reply = await send(hec.url, path, { token: 't', channel: CHANNEL, body });
      expect(reply.json, body).toEqual({ text: 'Invalid data format', code: 6 });
    }
    expect((await send(hec.url, path, { token: 't', channel: CHANNEL, body: '' })).json).toEqual({
      text: 'No data',
      code: 5,
    });
    expect((await send(hec.url, path, { token: 't', body: '{"acks":[0]}' })).json).toEqual({
      text: 'Data channel is missing',
      code: 10,
    });
  });

  it('logs the ids asked about', async () => {
    hec = await startHecServer({ tokens: { t: { ack: true } } });
    await post(CHANNEL, { event: 1 });
    await ack(CHANNEL, [0, 5]);
    const last = hec.requests.at(-1);
    expect(last?.ackQuery).toEqual([0, 5]);
    expect(last?.reply).toEqual({ acks: { '0': true, '5': false } });
    expect(hec.requests.at(-2)?.ackId).toBe(0);
  });
});
