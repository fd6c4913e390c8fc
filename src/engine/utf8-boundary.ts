/**
 * Multi-byte characters cut at a record's boundary. containerd splits long lines into CRI `P` fragments at a byte
 * count, so a fragment may end inside a UTF-8 character and the next one start with its continuation bytes. Such a
 * record is not rejected: its boundary bytes are kept losslessly as lone surrogates U+DC80–U+DCFF (Python's
 * "surrogateescape"), and once the fragments are joined the bytes meet again and decode. A line whose cut is never
 * completed is dead-lettered as invalid UTF-8.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import type { JsonObject, JsonValue } from './event.ts';

const ESCAPE_BASE = 0xdc00;
const ESCAPED = /[\uDC80-\uDCFF]/;

/**
 * Decodes a value whose only invalid UTF-8 is at its edges: continuation bytes at the start, an incomplete sequence
 * at the end (each at most 3 bytes).
 * @returns the text with those bytes escaped, or undefined when the value is invalid elsewhere.
 */
export function decodeWithCutEdges(value: Buffer): string | undefined {
  let start = 0;
  while (start < 3 && start < value.length && isContinuation(value[start] ?? 0)) start += 1;
  const end = value.length - incompleteTail(value);
  if (end < start || !isUtf8(value.subarray(start, end))) return undefined;
  return escape(value.subarray(0, start)) + value.toString('utf8', start, end) + escape(value.subarray(end));
}

/** True when a text holds escaped boundary bytes. */
export function hasCutEdges(text: string): boolean {
  return !text.isWellFormed() && ESCAPED.test(text);
}

/**
 * Turns escaped bytes back into text in every string of a body.
 * @returns the repaired body, or undefined when some string still is not valid UTF-8 (a cut never completed).
 */
export function repairCutEdges(body: JsonObject | string): JsonObject | string | undefined {
  const repaired = repairValue(body);
  return repaired === INVALID ? undefined : (repaired as JsonObject | string);
}

const INVALID = Symbol('invalid');

function repairValue(value: JsonValue): JsonValue | typeof INVALID {
  if (typeof value === 'string') return repairText(value);
  if (Array.isArray(value)) {
    const items = value.map(repairValue);
    return items.includes(INVALID) ? INVALID : (items as JsonValue[]);
  }
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const repaired = repairValue(item);
    if (repaired === INVALID) return INVALID;
    out[key] = repaired;
  }
  return out;
}

function repairText(text: string): string | typeof INVALID {
  if (text.isWellFormed()) return text;
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xdc80 && code <= 0xdcff) bytes.push(code - ESCAPE_BASE);
    else for (const byte of Buffer.from(char, 'utf8')) bytes.push(byte);
  }
  const buffer = Buffer.from(bytes);
  return isUtf8(buffer) ? buffer.toString('utf8') : INVALID;
}

function escape(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(ESCAPE_BASE + byte);
  return out;
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Length of an incomplete UTF-8 sequence at the end of `value` (0 when it ends on a whole character). */
function incompleteTail(value: Buffer): number {
  for (let back = 1; back <= Math.min(3, value.length); back += 1) {
    const byte = value[value.length - back] ?? 0;
    if (isContinuation(byte)) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}
