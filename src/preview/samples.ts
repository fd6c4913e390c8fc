/**
 * Sample records for a preview, from a file or a REST body. A sample is a record value as a producer writes it (a
 * Fluent Bit JSON record, a CRI line, an Azure `{"records": […]}` body), or a record with its metadata:
 * `{"value": …, "key"?, "headers"?, "timestamp"?, "topic"?, "partition"?}` (value a string, or an object sent as
 * JSON; `value_base64` instead for bytes that are not text). A file holds one sample per line, or a JSON array of
 * samples.
 * @module
 */
import { BridgeError, type SourceRecord } from '../engine/index.ts';

/** Where samples without their own coordinates are placed. */
export interface SampleDefaults {
  /** The connector's first topic. */
  readonly topic: string;
  /** Record timestamp for samples without one, epoch ms. */
  readonly timestampMs: number;
}

/** A sample that is not usable, with its place (REST: 400). */
export class SampleError extends BridgeError {
  readonly code = 'LB_PREVIEW_SAMPLE';
  readonly disposition = 'fatal';
  readonly kind = 'invalid';
}

const RECORD_KEYS = new Set(['value', 'value_base64', 'key', 'headers', 'timestamp', 'topic', 'partition']);

/** The records of a sample file's text. @throws SampleError naming the line of a malformed sample. */
export function samplesFromText(text: string, defaults: SampleDefaults): SourceRecord[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (Array.isArray(parsed)) return samplesFromList(parsed, defaults);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.map((line, index) => toRecord(asSample(line), index, defaults, `line ${index + 1}`));
}

/** The records of a list of samples (REST body or JSON array file). @throws SampleError */
export function samplesFromList(items: readonly unknown[], defaults: SampleDefaults): SourceRecord[] {
  return items.map((item, index) => {
    if (typeof item === 'string') return toRecord({ value: item }, index, defaults, `sample ${index}`);
    if (!isRecordShape(item)) {
      throw new SampleError(
        `sample ${index} must be a string (a record value) or {"value": …, "key"?, "headers"?, "timestamp"?, "topic"?, "partition"?}`,
      );
    }
    return toRecord(item, index, defaults, `sample ${index}`);
  });
}

/** A line is a record with metadata when it is a JSON object of record keys with a `value`. */
function asSample(line: string): Record<string, unknown> {
  if (line.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecordShape(parsed)) return parsed;
    } catch {
      // Not JSON: the line is the value as it is.
    }
  }
  return { value: line };
}

function isRecordShape(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    (keys.includes('value') || keys.includes('value_base64')) && keys.every((key) => RECORD_KEYS.has(key))
  );
}

function toRecord(
  sample: Record<string, unknown>,
  index: number,
  defaults: SampleDefaults,
  where: string,
): SourceRecord {
  const { value, value_base64: base64, key, headers, timestamp, topic, partition } = sample;
  const bytes = typeof base64 === 'string' ? Buffer.from(base64, 'base64') : valueBytes(value, where);
  const keyBytes = typeof key === 'string' || typeof key === 'number' ? Buffer.from(String(key)) : null;
  const headerBytes = headersOf(headers, where);
  return {
    position: {
      topic: typeof topic === 'string' && topic !== '' ? topic : defaults.topic,
      partition: typeof partition === 'number' && Number.isInteger(partition) ? partition : 0,
      offset: BigInt(index),
    },
    key: keyBytes,
    value: bytes,
    headers: headerBytes,
    timestampMs: timestampOf(timestamp, defaults.timestampMs, where),
    sizeBytes: (bytes?.length ?? 0) + (keyBytes?.length ?? 0),
  };
}

function headersOf(headers: unknown, where: string): Record<string, Buffer> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new SampleError(`${where}: headers must be an object of strings`);
  }
  const bytes: Record<string, Buffer> = {};
  for (const [name, text] of Object.entries(headers as Record<string, unknown>)) {
    bytes[name] = Buffer.from(typeof text === 'string' ? text : JSON.stringify(text));
  }
  return bytes;
}

function valueBytes(value: unknown, where: string): Buffer | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object') return Buffer.from(JSON.stringify(value), 'utf8');
  throw new SampleError(`${where}: value must be a string, an object or null`);
}

function timestampOf(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new SampleError(`${where}: timestamp must be epoch milliseconds or an ISO 8601 date`);
  }
  return ms;
}
