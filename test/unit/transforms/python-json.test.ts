import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/engine/index.ts';
import { pythonJsonDumps } from '../../../src/transforms/python-json.ts';

const fixtures = new URL('../../fixtures/transforms/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

describe('pythonJsonDumps', () => {
  // Expected values printed by CPython 3.11: json.dumps(v), json.dumps(v, ensure_ascii=False).
  it.each([
    [1e16, '1e+16'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123.456, '123.456'],
    [1e22, '1e+22'],
    [-2.5e-5, '-2.5e-05'],
    [Number('1234567890123456.7'), '1234567890123456.8'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-0.5, '-0.5'],
    [100, '100'],
    [-7, '-7'],
  ])('writes the number %d as %s', (value, expected) => {
    expect(pythonJsonDumps(value)).toBe(expected);
  });

  it('escapes strings as Python does, with and without ensure_ascii', () => {
    const value = { a: '\x7f\x00\u2028é😀"\\/\b\f\n\r\t' };
    expect(pythonJsonDumps(value)).toBe(
      '{"a": "\\u007f\\u0000\\u2028\\u00e9\\ud83d\\ude00\\"\\\\/\\b\\f\\n\\r\\t"}',
    );
    expect(pythonJsonDumps(value, false)).toBe('{"a": "\x7f\\u0000\u2028é😀\\"\\\\/\\b\\f\\n\\r\\t"}');
  });

  it('writes containers with Python separators', () => {
    expect(pythonJsonDumps({ a: [1, true, null, {}, []], b: { c: 'd' } })).toBe(
      '{"a": [1, true, null, {}, []], "b": {"c": "d"}}',
    );
  });

  it("reproduces the add-on's json.dumps of every fixture record byte for byte", () => {
    const expected = JSON.parse(read('mscs-python-raw.expected.json')) as {
      ensure_ascii: string;
      raw_utf8: string;
    }[];
    const records = ['aks-audit.jsonl', 'activity-log.jsonl'].flatMap(
      (name) => (JSON.parse(read(name)) as { records: JsonValue[] }).records,
    );
    expect(records).toHaveLength(expected.length);
    records.forEach((record, i) => {
      if (typeof record === 'string') return;
      expect(pythonJsonDumps(record)).toBe(expected[i]?.ensure_ascii);
      expect(pythonJsonDumps(record, false)).toBe(expected[i]?.raw_utf8);
    });
  });
});
