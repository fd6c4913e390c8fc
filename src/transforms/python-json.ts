/**
 * JSON text as Python's `json.dumps` writes it with its default separators (`", "` and `": "`), as the MSCS
 * add-on writes Event Hub events to Splunk; with `ensure_ascii` (the add-on's default) every character outside
 * printable ASCII becomes `\uXXXX` (lower-case hex, astral characters as surrogate pairs). Searches that run regular
 * expressions over `_raw` then see the same bytes as before the move to logbridge.
 *
 * What cannot be reproduced from a parsed value: a number keeps its value, not its spelling. Integers within
 * ±2^53 are written as integers (Python reads `1.0` as a float and writes `1.0`; logbridge writes `1`), others as
 * Python writes floats (`1e+16`, `1.5e-07`, `0.0001`). Keys that look like array indices come first in a JavaScript
 * object, so `{"b":1,"2":0}` is written `{"2": 0, "b": 1}`.
 * @module
 */
import type { JsonValue } from '../engine/index.ts';

/** @returns `value` as Python's `json.dumps(value, ensure_ascii=ensureAscii)` writes it. */
export function pythonJsonDumps(value: JsonValue, ensureAscii = true): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value, ensureAscii);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, ensureAscii)).join(', ')}]`;
  const members = Object.keys(value).map(
    (key) => `${pythonString(key, ensureAscii)}: ${pythonJsonDumps(value[key] ?? null, ensureAscii)}`,
  );
  return `{${members.join(', ')}}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// Python's ESCAPE_ASCII (`[\\"]|[^\ -~]`) and ESCAPE (`[\x00-\x1f\\"\b\f\n\r\t]`): these control
// characters are exactly what Python escapes.
const ESCAPE_ASCII = /[\\"]|[^ -~]/g;
// eslint-disable-next-line no-control-regex
const ESCAPE = /[\x00-\x1f\\"]/g;

function pythonString(text: string, ensureAscii: boolean): string {
  const pattern = ensureAscii ? ESCAPE_ASCII : ESCAPE;
  return `"${text.replace(pattern, escapeChar)}"`;
}

function escapeChar(c: string): string {
  return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Python's `repr` of a number read from JSON: an int when it is one, else the shortest float repr. */
function pythonNumber(value: number): string {
  // Integral values below 1e16 are taken for ints (Python writes those without `.0`).
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  // float_repr_style 'short', format 'r': positional when -4 <= exponent < 16, else scientific.
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0] ?? '0'}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
