import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fastDecoder, originalRecordDecoder } from '../../../../src/sources/kafka/record-decoder.ts';

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[] | null>;
}) => Encoded;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => {
  offset: number;
  readVarIntBytes(): Buffer;
};

interface Context {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
  isControlBatch: boolean;
}

const context = (overrides: Partial<Context> = {}): Context => ({
  firstOffset: '120000',
  firstTimestamp: '1733300000123',
  maxTimestamp: '1733300009999',
  timestampType: 0,
  magicByte: 2,
  isControlBatch: false,
  ...overrides,
});

/** Both decoders on the same record bytes: what each returns and where each left the decoder. */
function both(
  record: Parameters<typeof encodeRecord>[0],
  batch: Context,
): [unknown, unknown, number, number] {
  const body = new Decoder(encodeRecord(record).buffer).readVarIntBytes();
  const fast = new Decoder(body);
  const slow = new Decoder(body);
  const a = fastDecoder(fast as never, batch);
  const b = originalRecordDecoder()(slow as never, batch);
  return [a, b, fast.offset, slow.offset];
}

describe('kafka record decoder without Long arithmetic', () => {
  it('returns what kafkajs returns, for offsets, times, keys, values and headers', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i += 1) {
      const record = {
        offsetDelta: Math.floor(next() * 100_000),
        timestampDelta: Math.floor((next() - 0.2) * 10 ** Math.floor(next() * 12)),
        key: next() < 0.5 ? null : Buffer.from(`key-${i}`),
        value: next() < 0.05 ? null : Buffer.from(`{"log":"line ${i} é"}`),
        ...(next() < 0.3
          ? { headers: { a: Buffer.from('1'), b: [Buffer.from('2'), Buffer.from('3')] } }
          : {}),
      };
      const [fast, slow, fastEnd, slowEnd] = both(record, context());
      expect(fast, JSON.stringify(record)).toEqual(slow);
      expect(fastEnd).toBe(slowEnd);
    }
  });

  it('agrees where numbers need 64 bits, with log append time, and for odd headers', () => {
    const record = { offsetDelta: 9, timestampDelta: 5, key: null, value: Buffer.from('x') };
    for (const batch of [
      context({ firstOffset: '9007199254740990' }),
      context({ firstOffset: '9223372036854775800' }),
      context({ firstTimestamp: '-1' }),
      context({ timestampType: 1 }),
      context({ timestampType: 1, maxTimestamp: '' }),
      context({ isControlBatch: true }),
    ]) {
      const [fast, slow] = both(record, batch);
      expect(fast, JSON.stringify(batch)).toEqual(slow);
    }
    const [big] = both(record, context({ firstOffset: '9223372036854775800' }));
    expect(big).toMatchObject({ offset: '9223372036854775809' });
    const proto = Object.defineProperty({}, '__proto__', { value: Buffer.from('p'), enumerable: true });
    for (const headers of [proto, { r: [Buffer.from('1'), Buffer.from('2')], s: Buffer.from('') }]) {
      const [fast, slow] = both({ ...record, headers: headers }, context());
      expect(fast).toEqual(slow);
      expect(Object.keys((fast as { headers: object }).headers)).toEqual(
        Object.keys((slow as { headers: object }).headers),
      );
    }
    for (const timestampDelta of [2 ** 53 + 2, 2 ** 55 - 1, -(2 ** 54), 2 ** 60]) {
      const [fast, slow] = both({ ...record, timestampDelta }, context({ firstTimestamp: '0' }));
      expect(fast, String(timestampDelta)).toEqual(slow);
    }
  });

  it('is in place once a Kafka client is made in a fresh process', () => {
    const script = `
      const { createRequire } = require('node:module');
      const { createKafka } = await import(${JSON.stringify(new URL('../../../../src/sources/kafka/client.ts', import.meta.url).pathname)});
      const { fastDecoder } = await import(${JSON.stringify(new URL('../../../../src/sources/kafka/record-decoder.ts', import.meta.url).pathname)});
      createKafka({ brokers: ['127.0.0.1:1'], clientId: 'x', ssl: false, topics: ['t'] }, { child: () => ({}) });
      const r = createRequire(${JSON.stringify(new URL('../../../../src/sources/kafka/client.ts', import.meta.url).pathname)});
      console.log(r('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') === fastDecoder);
    `;
    expect(
      execFileSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => {${script}})()`], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('true');
  });
});
