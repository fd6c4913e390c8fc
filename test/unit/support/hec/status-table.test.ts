/**
 * Every row of the status table (reference §5) the server produces by itself, over real HTTP, with exact bodies;
 * the rows only fault injection produces (8, 9, 18–27) are checked at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../../support/hec/index.ts';
import { HEC_CODES, startHecServer } from '../../../support/hec/index.ts';
import type { SendOptions } from './hec-client.ts';
import { CHANNEL, envelopes, send } from './hec-client.ts';

const PLAIN = 'b7f6a9d2-1111-4c2b-9e1a-000000000001';
const ACKED = 'b7f6a9d2-2222-4c2b-9e1a-000000000002';
const DISABLED = 'b7f6a9d2-3333-4c2b-9e1a-000000000003';
const QUERY_OK = 'b7f6a9d2-4444-4c2b-9e1a-000000000004';
const EVENT = '/services/collector/event';

let hec: HecServer;

beforeAll(async () => {
  hec = await startHecServer({
    tokens: {
      [PLAIN]: { indexes: ['main', 'logs'] },
      [ACKED]: { ack: true },
      [DISABLED]: { disabled: true },
      [QUERY_OK]: { allowQueryStringAuth: true },
    },
  });
});

afterAll(async () => {
  await hec.close();
});

interface Row {
  readonly code: number;
  readonly why: string;
  readonly path?: string;
  readonly options: SendOptions;
  readonly invalidEventNumber?: number;
}

const rows: readonly Row[] = [
  {
    code: 0,
    why: 'a valid batch',
    options: { token: PLAIN, body: envelopes({ event: 'a' }, { event: 'b' }) },
  },
  { code: 1, why: 'a disabled token', options: { token: DISABLED, body: envelopes({ event: 'a' }) } },
  { code: 2, why: 'no Authorization header', options: { body: envelopes({ event: 'a' }) } },
  {
    code: 3,
    why: 'an Authorization header in another scheme',
    options: { headers: { authorization: `Bearer ${PLAIN}` }, body: envelopes({ event: 'a' }) },
  },
  { code: 4, why: 'an unknown token', options: { token: 'no-such-token', body: envelopes({ event: 'a' }) } },
  { code: 5, why: 'an empty body', options: { token: PLAIN, body: '' } },
  { code: 5, why: 'a whitespace body', options: { token: PLAIN, body: ' \n\t ' } },
  {
    code: 6,
    why: 'malformed JSON in the second envelope',
    options: { token: PLAIN, body: `${envelopes({ event: 'a' })}{"event":` },
    invalidEventNumber: 1,
  },
  {
    code: 6,
    why: 'a JSON array instead of concatenated objects',
    options: { token: PLAIN, body: JSON.stringify([{ event: 'a' }]) },
    invalidEventNumber: 0,
  },
  {
    code: 6,
    why: 'a non-numeric time',
    options: { token: PLAIN, body: envelopes({ event: 'a' }, { event: 'b', time: 'yesterday' }) },
    invalidEventNumber: 1,
  },
  {
    code: 7,
    why: 'an index outside the token’s indexes',
    options: {
      token: PLAIN,
      body: envelopes({ event: 'a', index: 'logs' }, { event: 'b', index: 'secret' }),
    },
    invalidEventNumber: 1,
  },
  { code: 10, why: 'no channel with ack on', options: { token: ACKED, body: envelopes({ event: 'a' }) } },
  {
    code: 11,
    why: 'a channel that is not a GUID',
    options: { token: PLAIN, channel: 'not-a-guid', body: envelopes({ event: 'a' }) },
  },
  {
    code: 12,
    why: 'an envelope without event',
    options: { token: PLAIN, body: envelopes({ event: 'a' }, { time: 1 }) },
    invalidEventNumber: 1,
  },
  {
    code: 13,
    why: 'a blank event',
    options: { token: PLAIN, body: envelopes({ event: '' }) },
    invalidEventNumber: 0,
  },
  {
    code: 14,
    why: '/ack on a token with ack off',
    path: '/services/collector/ack',
    options: { token: PLAIN, channel: CHANNEL, body: '{"acks":[0]}' },
  },
  {
    code: 15,
    why: 'nested indexed fields',
    options: { token: PLAIN, body: envelopes({ event: 'a' }, { event: 'b', fields: { a: { b: 1 } } }) },
    invalidEventNumber: 1,
  },
  {
    code: 16,
    why: '?token= on a token without allowQueryStringAuth, even with a good header',
    path: `${EVENT}?token=${PLAIN}`,
    options: { token: PLAIN, body: envelopes({ event: 'a' }) },
  },
  {
    code: 17,
    why: 'a health check',
    path: '/services/collector/health',
    options: { method: 'GET' },
  },
];

describe('status table', () => {
  it.each(rows)('code $code for $why', async ({ code, path, options, invalidEventNumber }) => {
    const row = HEC_CODES.get(code);
    const reply = await send(hec.url, path ?? EVENT, options);
    expect(reply.status).toBe(row?.status);
    expect(reply.json).toEqual({
      text: row?.text,
      code,
      ...(invalidEventNumber === undefined ? {} : { 'invalid-event-number': invalidEventNumber }),
    });
    expect(reply.headers['content-type']).toBe('application/json; charset=UTF-8');
  });

  it('records nothing of a refused request, and everything of an accepted one', async () => {
    hec.clear();
    await send(hec.url, EVENT, {
      token: PLAIN,
      body: envelopes({ event: 'ok' }, { event: 'bad', index: 'x' }),
    });
    expect(hec.count).toBe(0);
    await send(hec.url, EVENT, { token: PLAIN, body: envelopes({ event: 'one' }, { event: 'two' }) });
    expect(hec.events.map((event) => event.event)).toEqual(['one', 'two']);
  });

  it('accepts ?token= on a token that allows it', async () => {
    const reply = await send(hec.url, `${EVENT}?token=${QUERY_OK}`, { body: envelopes({ event: 'q' }) });
    expect(reply.json).toEqual({ text: 'Success', code: 0 });
  });

  it('accepts Basic auth with the token as password', async () => {
    const basic = Buffer.from(`anyone:${PLAIN}`).toString('base64');
    const reply = await send(hec.url, EVENT, {
      headers: { authorization: `Basic ${basic}` },
      body: envelopes({ event: 'b' }),
    });
    expect(reply.json).toEqual({ text: 'Success', code: 0 });
  });

  it('answers the /1.0 and suffix-less paths like /event', async () => {
    for (const path of ['/services/collector', '/services/collector/event/1.0']) {
      const reply = await send(hec.url, path, { token: PLAIN, body: envelopes({ event: path }) });
      expect(reply.json).toEqual({ text: 'Success', code: 0 });
    }
    const health = await send(hec.url, '/services/collector/health/1.0', { method: 'GET' });
    expect(health.json).toEqual({ text: 'HEC is healthy', code: 17 });
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    const missing = await send(hec.url, '/services/collector/events', { token: PLAIN, body: '{}' });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ text: 'The requested URL was not found on this server.', code: 404 });
    const trailing = await send(hec.url, '/services/collector/event/', { token: PLAIN, body: '{}' });
    expect(trailing.status).toBe(404);
    const wrong = await send(hec.url, EVENT, { method: 'GET', token: PLAIN });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('answers 500 code 8 for an internal error and keeps the error', async () => {
    const failing = await startHecServer({
      onEvent: () => {
        throw new Error('boom');
      },
    });
    try {
      const reply = await send(failing.url, EVENT, { token: failing.token, body: envelopes({ event: 'a' }) });
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({ text: 'Internal server error', code: 8 });
      expect(failing.errors.map((error) => error.message)).toEqual(['boom']);
    } finally {
      await failing.close();
    }
  });

  it('answers 503 code 9 when the ack channel limit is reached', async () => {
    const full = await startHecServer({ tokens: { t: { ack: true } }, ackLimits: { maxChannels: 1 } });
    try {
      const first = await send(full.url, EVENT, {
        token: 't',
        channel: CHANNEL,
        body: envelopes({ event: 1 }),
      });
      expect(first.json).toEqual({ text: 'Success', code: 0, ackId: 0 });
      const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
      const second = await send(full.url, EVENT, {
        token: 't',
        channel: other,
        body: envelopes({ event: 2 }),
      });
      expect(second.status).toBe(503);
      expect(second.json).toEqual({ text: 'Server is busy', code: 9 });
      expect(full.count).toBe(1);
    } finally {
      await full.close();
    }
  });

  it.each([...HEC_CODES.keys()].filter((code) => code === 8 || code === 9 || code >= 18))(
    'injects code %i with the table’s status and text',
    async (code) => {
      const handle = hec.inject({ path: 'all', code, times: 1 });
      const reply = await send(hec.url, EVENT, { token: PLAIN, body: envelopes({ event: 'a' }) });
      expect(reply.status).toBe(HEC_CODES.get(code)?.status);
      expect(reply.json).toEqual({ text: HEC_CODES.get(code)?.text, code });
      expect(handle.active).toBe(false);
    },
  );
});
