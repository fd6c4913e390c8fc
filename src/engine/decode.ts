/**
 * Decoding: a record's value bytes become an event body. Bad input gets a defined outcome, never a crash: invalid
 * UTF-8 and, where JSON is required, invalid JSON are rejected (dead-lettered at stage VALUE_CONVERTER).
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { InvalidJsonError, InvalidUtf8Error, OversizeError } from './errors.ts';
import type { EventMeta, JsonObject, LogEvent } from './event.ts';
import type { SourceRecord } from './record.ts';
import { decodeWithCutEdges } from './utf8-boundary.ts';

/**
 * How record values are read:
 * - `auto`: a JSON object becomes a structured body, anything else stays text;
 * - `json`: the value must be a JSON object, else the record is rejected;
 * - `text`: always text.
 */
export type RecordFormat = 'auto' | 'json' | 'text';

/** Decoder settings. */
export interface DecodeOptions {
  readonly format: RecordFormat;
  /** Largest record value accepted, bytes; larger ones are rejected. */
  readonly maxRecordBytes: number;
  /**
   * Mark an event whose body is its record's JSON object text, on one line from `{` to `}` (`LogEvent.bodyAsRead`). Only for a
   * connector without transforms: sinks write the text as read (about 3 µs an event less than serializing the parsed
   * body for ~1.4 KiB records, and numbers beyond 2^53 keep their digits).
   */
  readonly keepJsonText?: boolean;
}

/** Shared by every event until a transform sets metadata (one object less per event). */
const NO_META: EventMeta = Object.freeze({});

/** The outcome of decoding one record: an event, or `empty` for a record with no value (a tombstone). */
export type Decoded = LogEvent | 'empty';

/** Compiles a decoder. Its function throws a BridgeError (`reject`) for bad input. */
export function createDecoder(options: DecodeOptions): (record: SourceRecord) => Decoded {
  return (record) => {
    const value = record.value;
    if (value === null || value.length === 0) return 'empty';
    if (value.length > options.maxRecordBytes) {
      throw new OversizeError(
        `record value is ${value.length} bytes, over record.max.bytes (${options.maxRecordBytes})`,
      );
    }
    if (!isUtf8(value)) {
      // A multi-byte character cut at the edge (a CRI fragment) is kept, escaped, for reassembly to complete.
      const text = options.format === 'json' ? undefined : decodeWithCutEdges(value);
      if (text === undefined) throw new InvalidUtf8Error('record value is not valid UTF-8');
      return { record, body: text, timeMs: record.timestampMs, meta: NO_META };
    }
    const text = value.toString('utf8');
    const body = bodyOf(text, options.format);
    if (options.keepJsonText === true && typeof body === 'object' && isOneLine(text))
      return new AsReadEvent(record);
    return { record, body, timeMs: record.timestampMs, meta: NO_META };
  };
}

/**
 * An event whose body is its record's value, a JSON object: parsed again only when something reads the body, and
 * then kept. Decoding parsed it only to check it: held until the record settles, the parsed objects would be the
 * larger part of an in-flight record's memory and of the garbage collector's work, for sinks that write the value
 * as read.
 */
class AsReadEvent implements LogEvent {
  readonly record: SourceRecord;
  readonly timeMs: number;
  readonly meta = NO_META;
  readonly bodyAsRead = true;
  #body: JsonObject | undefined;

  constructor(record: SourceRecord) {
    this.record = record;
    this.timeMs = record.timestampMs;
  }

  get body(): JsonObject {
    this.#body ??= JSON.parse(this.record.value?.toString('utf8') ?? '{}') as JsonObject;
    return this.#body;
  }
}

/** The text of a JSON object with nothing around it and no line break in it (HEC envelopes are one per line). */
function isOneLine(text: string): boolean {
  return (
    text.charCodeAt(0) === 0x7b &&
    text.charCodeAt(text.length - 1) === 0x7d &&
    !text.includes('\n') &&
    !text.includes('\r')
  );
}

function bodyOf(text: string, format: RecordFormat): JsonObject | string {
  if (format === 'text') return text;
  const parsed = format === 'json' || looksLikeObject(text) ? tryParse(text) : undefined;
  if (isObject(parsed)) return parsed;
  if (format === 'json') {
    throw new InvalidJsonError('record value is not a JSON object, as record.format=json requires');
  }
  return text;
}

function looksLikeObject(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return true; // '{'
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return false;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
