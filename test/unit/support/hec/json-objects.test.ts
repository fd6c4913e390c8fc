import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConcatenatedJson } from '../../../support/hec/json-objects.ts';

describe('parseConcatenatedJson', () => {
  it('splits objects with and without whitespace between them', () => {
    expect(parseConcatenatedJson('{"a":1}{"b":2}\n{"c":3}\r\n\t {"d":{}} ')).toEqual({
      values: [{ a: 1 }, { b: 2 }, { c: 3 }, { d: {} }],
      malformedAt: undefined,
    });
  });

  it('ignores braces and quotes inside strings, including escaped quotes and backslashes', () => {
    const tricky = [{ event: '}{"' }, { event: 'a\\' }, { event: '\\"}' }, { event: { nested: ['{', '}'] } }];
    const text = tricky.map((value) => JSON.stringify(value)).join('');
    expect(parseConcatenatedJson(text)).toEqual({ values: tricky, malformedAt: undefined });
  });

  it('reports the number of the first malformed object and keeps the ones before it', () => {
    expect(parseConcatenatedJson('{"a":1}{"b":}{"c":3}')).toEqual({ values: [{ a: 1 }], malformedAt: 1 });
    expect(parseConcatenatedJson('{"a":1}{"b":2')).toEqual({ values: [{ a: 1 }], malformedAt: 1 });
    expect(parseConcatenatedJson('{"a":1},{"b":2}')).toEqual({ values: [{ a: 1 }], malformedAt: 1 });
    expect(parseConcatenatedJson('{"a":"unterminated}')).toEqual({ values: [], malformedAt: 0 });
  });

  it('refuses arrays and scalars at the top level', () => {
    expect(parseConcatenatedJson('[{"a":1}]').malformedAt).toBe(0);
    expect(parseConcatenatedJson('{"a":1} 42').malformedAt).toBe(1);
    expect(parseConcatenatedJson('"event"').malformedAt).toBe(0);
  });

  it('finds nothing in an empty or blank body', () => {
    expect(parseConcatenatedJson('')).toEqual({ values: [], malformedAt: undefined });
    expect(parseConcatenatedJson(' \n ')).toEqual({ values: [], malformedAt: undefined });
  });

  it('round-trips any objects joined by any JSON whitespace', () => {
    const separator = fc.stringMatching(/^[ \n\r\t]{0,3}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.dictionary(fc.string(), fc.jsonValue()), separator)), (items) => {
        const text = items.map(([value, gap]) => JSON.stringify(value) + gap).join('');
        const expected = items.map(([value]) => JSON.parse(JSON.stringify(value)) as unknown);
        expect(parseConcatenatedJson(text)).toEqual({ values: expected, malformedAt: undefined });
      }),
    );
  });
});
