/**
 * Encodes events for HEC (reference/splunk-hec.md §3). `/event`: one JSON envelope per event, `\n`-terminated as
 * SCK writes them, with `time` in epoch seconds with milliseconds, `host`/`source`/`sourcetype`/`index` (route, then
 * Kafka headers, then the topic defaults), the body as `event`, and flat indexed `fields` carrying the Kafka
 * coordinates (`splunk.hec.track.data`) so that duplicates can be found in Splunk. `/raw`: the text plus the line
 * breaker, with the metadata as a query string that requests are grouped by.
 * @module
 */
import type { Encoded, JsonObject, JsonValue, LogEvent } from '../../engine/index.ts';
import type { HecMetadata, HecSinkConfig } from './config.ts';
import { HecEventTooLargeError, HecInvalidEventError } from './errors.ts';

/**
 * One event as it goes into a request body: the envelope with its `\n` (`/event`), or the text with the line breaker
 * (`/raw`). An event whose body is its record's value as read keeps that value as bytes between a `head` and a
 * `tail`: the body is written by copying them, never decoded into a string and encoded back (a third of the main
 * thread's time went to building one string per request and encoding it to UTF-8 again).
 */
export class HecPayload {
  /** Request query string (events of one request share it): `/raw` metadata, or `/event` options; often `''`. */
  readonly query: string;
  /** Encoded size, bytes. */
  readonly bytes: number;
  readonly #head: string;
  readonly #value: Buffer | undefined;
  readonly #tail: string;

  private constructor(head: string, value: Buffer | undefined, tail: string, query: string) {
    this.#head = head;
    this.#value = value;
    this.#tail = tail;
    this.query = query;
    this.bytes =
      value === undefined
        ? Buffer.byteLength(head, 'utf8')
        : Buffer.byteLength(head, 'utf8') + value.length + Buffer.byteLength(tail, 'utf8');
  }

  /** A payload of text. */
  static of(text: string, query: string): HecPayload {
    return new HecPayload(text, undefined, '', query);
  }

  /** A payload of `head`, then the bytes of `value` (valid UTF-8), then `tail`. */
  static around(head: string, value: Buffer, tail: string, query: string): HecPayload {
    return new HecPayload(head, value, tail, query);
  }

  /** The payload as text (for diagnostics and tests; request bodies use `writeTo`). */
  get text(): string {
    return this.#value === undefined ? this.#head : this.#head + this.#value.toString('utf8') + this.#tail;
  }

  /** Writes the payload into `target` at `offset`, which has room for `bytes`; returns the offset after it. */
  writeTo(target: Buffer, offset: number): number {
    let at = offset + target.write(this.#head, offset, 'utf8');
    if (this.#value === undefined) return at;
    at += this.#value.copy(target, at);
    return at + target.write(this.#tail, at, 'utf8');
  }
}

type MetaKey = keyof HecMetadata;
const META_KEYS: readonly MetaKey[] = ['host', 'source', 'sourcetype', 'index'];

/** Builds the encoder for a sink's settings. It throws a `reject` error for blank or oversized events. */
export function createEncoder(config: HecSinkConfig): (event: LogEvent) => Encoded<HecPayload> {
  const metadataOf = metadataReader(config);
  const timeOf = timeReader(config);
  const fieldsOf = fieldsBuilder(config);
  // Splunk 8+: take the time from the text (reference §1); request-wide, so every /event payload carries it.
  const eventQuery = config.time.autoExtract ? 'auto_extract_timestamp=true' : '';
  const encode = (event: LogEvent): HecPayload => {
    const meta = metadataOf(event);
    const value = asRead(event);
    if (config.raw) {
      if (value !== undefined) return HecPayload.around('', value, config.lineBreaker, queryOf(meta));
      const text = typeof event.body === 'string' ? event.body : JSON.stringify(event.body);
      return HecPayload.of(text + config.lineBreaker, queryOf(meta));
    }
    const envelope: Record<string, unknown> = {};
    const time = timeOf(event);
    if (time !== undefined) envelope.time = time;
    for (const key of META_KEYS) if (meta[key] !== undefined) envelope[key] = meta[key];
    const fields = fieldsOf(event);
    if (value !== undefined) return spliced(envelope, value, fields, eventQuery);
    envelope.event = event.body;
    if (fields !== undefined) envelope.fields = fields;
    return HecPayload.of(JSON.stringify(envelope) + '\n', eventQuery);
  };
  return (event) => {
    if (event.bodyAsRead === true ? isEmptyObjectText(event.record.value) : isBlank(event.body)) {
      // HEC answers 400 code 13 to a blank event: refuse it here instead of splitting a whole batch over it.
      throw new HecInvalidEventError('event is blank: HEC refuses an empty "event" (code 13)');
    }
    const payload = encode(event);
    const bytes = payload.bytes;
    if (bytes > config.maxEventBytes) {
      throw new HecEventTooLargeError(
        `event is ${bytes} bytes once encoded, over splunk.hec.max.event.bytes (${config.maxEventBytes})`,
      );
    }
    return { payload, bytes };
  };
}

/**
 * The envelope `JSON.stringify` would write, with the body's bytes as read in place of its serialization (same keys,
 * same order: time and metadata, `event`, `fields`).
 */
function spliced(
  head: Record<string, unknown>,
  json: Buffer,
  fields: Record<string, unknown> | undefined,
  query: string,
): HecPayload {
  const start = JSON.stringify(head);
  const open = start.length === 2 ? '{"event":' : `${start.slice(0, -1)},"event":`;
  const close = fields === undefined ? '}\n' : `,"fields":${JSON.stringify(fields)}}\n`;
  return HecPayload.around(open, json, close, query);
}

/** Route metadata first, then Kafka headers (`splunk.header.support`), then the topic's defaults. */
function metadataReader(config: HecSinkConfig): (event: LogEvent) => HecMetadata {
  const byTopic = new Map<string, HecMetadata>();
  const headers = config.headers;
  return (event) => {
    const topic = event.record.position.topic;
    let defaults = byTopic.get(topic);
    if (defaults === undefined) byTopic.set(topic, (defaults = config.metadataFor(topic)));
    const meta: Record<string, string> = {};
    for (const key of META_KEYS) {
      const value =
        nonEmpty(event.meta[key]) ??
        (headers === undefined
          ? undefined
          : nonEmpty(event.record.headers[headers[key]]?.toString('utf8'))) ??
        defaults[key];
      if (value !== undefined) meta[key] = value;
    }
    return meta;
  };
}

/** `time` in epoch seconds with millisecond precision, or `undefined` to let Splunk decide. */
function timeReader(config: HecSinkConfig): (event: LogEvent) => number | undefined {
  const { field, useRecordTimestamp, autoExtract } = config.time;
  return (event) => {
    if (autoExtract) return undefined;
    const fromField = field === undefined ? undefined : epochMs(valueAt(event.body, field));
    const ms = fromField ?? (useRecordTimestamp ? event.timeMs : undefined);
    return ms === undefined ? undefined : Math.round(ms) / 1000;
  };
}

/**
 * Epoch milliseconds from a number or string: seconds, ms, µs or ns told apart by magnitude (seconds until the year
 * 5138), or an ISO-8601 date. `undefined` when it is none of these.
 */
export function epochMs(value: JsonValue | undefined): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : NaN;
  if (Number.isFinite(number) && number > 0) {
    if (number < 1e11) return number * 1000;
    if (number < 1e14) return number;
    if (number < 1e17) return number / 1000;
    return number / 1e6;
  }
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function fieldsBuilder(
  config: HecSinkConfig,
): (event: LogEvent) => Record<string, string | string[]> | undefined {
  const { track, constant, fromBody } = config.fields;
  const hasConstant = Object.keys(constant).length > 0;
  if (!track && !hasConstant && fromBody.length === 0) return () => undefined;
  return (event) => {
    const fields: Record<string, string | string[]> = hasConstant ? { ...constant } : {};
    for (const path of fromBody) {
      const value = valueAt(event.body, path);
      if (value !== undefined && value !== null) fields[path.join('.')] = flat(value);
    }
    if (track) {
      const { topic, partition, offset } = event.record.position;
      fields.kafka_topic = topic;
      fields.kafka_partition = String(partition);
      fields.kafka_offset = offset.toString();
    }
    return fields;
  };
}

/** Indexed fields must be flat (code 15): strings or arrays of strings. */
function flat(value: JsonValue): string | string[] {
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function valueAt(body: JsonObject | string, path: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = typeof body === 'string' ? undefined : body;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = value[segment];
  }
  return value;
}

function queryOf(meta: HecMetadata): string {
  let query = '';
  for (const key of META_KEYS) {
    const value = meta[key];
    if (value !== undefined) query += `${query === '' ? '' : '&'}${key}=${encodeURIComponent(value)}`;
  }
  return query;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The record's value when it is the body as read (no need to read, or parse, `body`). */
function asRead(event: LogEvent): Buffer | undefined {
  return event.bodyAsRead === true && event.record.value !== null ? event.record.value : undefined;
}

function isBlank(body: JsonObject | string): boolean {
  return body === '' || (typeof body === 'object' && isEmpty(body));
}

/** `{}` with nothing or blanks inside (a one-line JSON object's text: no line breaks). */
function isEmptyObjectText(value: Buffer | null): boolean {
  if (value === null) return true;
  for (let i = 1; i < value.length - 1; i += 1) if (value[i] !== 0x20 && value[i] !== 0x09) return false;
  return true;
}

function isEmpty(object: JsonObject): boolean {
  for (const _ in object) return false;
  return true;
}
