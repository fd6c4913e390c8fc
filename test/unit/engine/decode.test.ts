import { describe, expect, it } from 'vitest';
import { createDecoder, type Decoded } from '../../../src/engine/index.ts';
import { record } from './records.ts';

const decode = (text: string, keepJsonText = true): Decoded =>
  createDecoder({ format: 'auto', maxRecordBytes: 1 << 20, keepJsonText })(record('logs', 0, 7, text));

const asRead = (decoded: Decoded): boolean | undefined =>
  decoded === 'empty' ? undefined : decoded.bodyAsRead;

describe('decoder: bodies the sinks may write as read', () => {
  it('marks a one-line object, beside its parsed body', () => {
    const text = '{"log":"é \\\\n line","n":1.50,"big":123456789012345678901234}';
    const decoded = decode(text);
    expect(decoded).toMatchObject({ body: { log: 'é \\n line', n: 1.5 }, bodyAsRead: true });
  });

  it('parses the body again only when it is read, once', () => {
    const decoded = decode('{"log":"a","n":[1,2]}');
    if (decoded === 'empty') throw new Error('decoded nothing');
    expect(decoded.bodyAsRead).toBe(true);
    const body = decoded.body;
    expect(body).toEqual({ log: 'a', n: [1, 2] });
    expect(decoded.body).toBe(body);
  });

  it('marks nothing for text with a line break, space around the object, or what is not an object', () => {
    for (const text of [
      '{"log":\n"a"}',
      ' {"log":"a"}',
      '{"log":"a"} ',
      '{"log":"a"}\r',
      'plain text',
      '[1,2]',
      '{bad',
    ])
      expect(asRead(decode(text)), text).toBeUndefined();
  });

  it('marks nothing unless asked (a connector with transforms)', () => {
    const decoded = decode('{"log":"a"}', false);
    expect(decoded).toMatchObject({ body: { log: 'a' } });
    expect(asRead(decoded)).toBeUndefined();
  });
});
