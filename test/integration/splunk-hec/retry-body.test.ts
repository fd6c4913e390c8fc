/**
 * A batch no endpoint took is sent again as it was built: every retry of an outage would otherwise build and
 * compress the whole request again. What is sent again is the same bytes, and each event arrives once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as builder from '../../../src/sinks/splunk-hec/request-builder.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { eventually, events, messages, startSink } from './sink-harness.ts';

vi.mock('../../../src/sinks/splunk-hec/request-builder.ts', async (original) => {
  const actual = await original<typeof builder>();
  return { ...actual, buildBody: vi.fn(actual.buildBody) };
});

const TOKEN = '11111111-1111-4111-8111-111111111111';
let hec: HecServer;

beforeAll(async () => {
  hec = await startHecServer({ tokens: { [TOKEN]: { indexes: ['main'] } } });
});

afterAll(async () => {
  await hec.close();
});

describe('HEC retries', () => {
  it('send a batch that no endpoint took as built, and build it again once a later send splits it', async () => {
    const s = await startSink({
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.health.check.interval.ms': '0',
    });
    const built = vi.mocked(builder.buildBody);
    built.mockClear();
    try {
      hec.inject({ code: 9 });
      expect((await s.send(events(5))).kind).toBe('retry');
      const batch = s.lastBatch;
      if (batch === undefined) throw new Error('nothing sent');
      // The endpoint is backed off: no request, and nothing built for it.
      expect((await s.resend(batch)).kind).toBe('retry');
      hec.clearFaults();
      await eventually(() => s.sink.health().healthy);
      expect((await s.resend(batch)).kind).toBe('delivered');
      expect(built).toHaveBeenCalledTimes(1);
      expect(messages(hec.events)).toEqual(['event-0', 'event-1', 'event-2', 'event-3', 'event-4']);
      const sizes = hec.requests.filter((r) => r.endpoint === 'event').map((r) => r.bytes);
      expect(sizes.length).toBeGreaterThanOrEqual(2);
      expect(new Set(sizes).size).toBe(1);
      // A new batch (as the engine sends after partial progress) is built for itself.
      expect((await s.send(events(2, 5))).kind).toBe('delivered');
      expect(built).toHaveBeenCalledTimes(2);
    } finally {
      await s.close();
    }
  });
});
