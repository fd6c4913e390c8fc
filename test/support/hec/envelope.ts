/**
 * `/event` bodies: concatenated envelopes validated per reference §3 and §5. The first bad event decides the reply
 * (code and zero-based `invalid-event-number`); the valid events before it are returned too, for `partialIndexing`.
 *
 * Checks per event, in this order (the reference gives no order; this one reports format before content):
 * not a JSON object → 6; `event` absent → 12; `event` blank (`null`, `""`, `{}`) → 13; `time` not a number or numeric
 * string, or `host`/`source`/`sourcetype`/`index` not a string → 6; index outside the token's `indexes` → 7;
 * `fields` not a flat object → 15.
 */
import type { DraftEvent, EventDefaults, ParsedBody } from './event.ts';
import { parseConcatenatedJson } from './json-objects.ts';
import { Code } from './protocol.ts';

type Envelope = Record<string, unknown>;

function isObject(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Blank per code 13. `""` and `{}` follow Vector's HEC source; `null` is our call (present but empty). A string of
 * spaces is not blank here: the reference does not say, and rejecting it could hide nothing the sink does.
 */
function isBlank(event: unknown): boolean {
  return event === null || event === '' || (isObject(event) && Object.keys(event).length === 0);
}

const NUMERIC = /^\d+(?:\.\d+)?$/;

/** Epoch seconds from `time`, `fallback` when absent, `NaN` when not a number or a numeric string. */
function timeOf(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return Number.NaN;
}

/** A metadata string, `fallback` when absent or empty, `undefined` when not a string. */
function metaOf(value: unknown, fallback: string): string | undefined {
  if (value === undefined || value === '') return fallback;
  return typeof value === 'string' ? value : undefined;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Indexed fields must be flat (reference §3: values string or array of strings; nested → 15). Numbers and booleans
 * are let through as scalars: the reference is silent on them and Splunk stores indexed values as text.
 */
function isFlatFields(fields: unknown): boolean {
  if (!isObject(fields)) return false;
  for (const key in fields) {
    const value = fields[key];
    if (isScalar(value)) continue;
    if (!Array.isArray(value) || !value.every(isScalar)) return false;
  }
  return true;
}

/** One envelope to an event, or the HEC code that refuses it. */
function toEvent(envelope: unknown, defaults: EventDefaults): DraftEvent | number {
  if (!isObject(envelope)) return Code.invalidDataFormat;
  const { event, fields } = envelope;
  if (event === undefined) return Code.eventRequired;
  if (isBlank(event)) return Code.eventBlank;
  const time = timeOf(envelope.time, defaults.time);
  const host = metaOf(envelope.host, defaults.host);
  const source = metaOf(envelope.source, defaults.source);
  const sourcetype = metaOf(envelope.sourcetype, defaults.sourcetype);
  const index = metaOf(envelope.index, defaults.index);
  if (Number.isNaN(time) || host === undefined || source === undefined) return Code.invalidDataFormat;
  if (sourcetype === undefined || index === undefined) return Code.invalidDataFormat;
  if (defaults.allowedIndexes?.has(index) === false) return Code.incorrectIndex;
  if (fields !== undefined && !isFlatFields(fields)) return Code.indexedFieldsError;
  return {
    endpoint: 'event',
    event,
    time,
    host,
    source,
    sourcetype,
    index,
    fields: fields as Readonly<Record<string, unknown>> | undefined,
    channel: defaults.channel,
    token: defaults.token,
    ackId: undefined,
  };
}

/**
 * Parses and validates a decoded `/event` body. A body with no envelope at all is code 5 ("No data"); a malformed
 * one is code 6 at the number of the object that failed to parse.
 */
export function parseEventBody(text: string, defaults: EventDefaults): ParsedBody {
  const { values, malformedAt } = parseConcatenatedJson(text);
  if (values.length === 0 && malformedAt === undefined) {
    return { events: [], error: { code: Code.noData, invalidEventNumber: undefined } };
  }
  const events: DraftEvent[] = [];
  for (let number = 0; number < values.length; number++) {
    const result = toEvent(values[number], defaults);
    if (typeof result === 'number') return { events, error: { code: result, invalidEventNumber: number } };
    events.push(result);
  }
  if (malformedAt !== undefined) {
    return { events, error: { code: Code.invalidDataFormat, invalidEventNumber: malformedAt } };
  }
  return { events, error: undefined };
}
