/**
 * Field paths, the way templates write them: `kubernetes.namespace_name`, `labels["app.kubernetes.io/name"]`.
 * A path names a body field, or a record reference (`key`, `topic`, `partition`, `offset`, `header.NAME`) unless its
 * first segment is bracketed (`["topic"]` is the body field). Used by filter and route conditions and mask scopes.
 * @module
 */
import type { JsonObject, JsonValue, LogEvent } from '../engine/index.ts';

/** A parsed path. */
export interface FieldPath {
  /** As written, for messages. */
  readonly source: string;
  readonly segments: readonly string[];
  /** The first segment was bracketed: always a body field. */
  readonly bodyOnly: boolean;
}

/** @returns the parsed path, or why it is not one. */
export function parseFieldPath(source: string): FieldPath | { readonly problem: string } {
  const segments: string[] = [];
  let segment = '';
  let pos = 0;
  while (pos < source.length) {
    const c = source.charAt(pos);
    if (c === '[') {
      if (segment !== '') segments.push(segment);
      segment = '';
      const quote = source[pos + 1];
      const end = quote === '"' || quote === "'" ? source.indexOf(`${quote}]`, pos + 2) : -1;
      if (end < 0) return { problem: `"${source}": expected ["…"] or ['…'] at ${pos}` };
      segments.push(source.slice(pos + 2, end));
      pos = end + 2;
      continue;
    }
    if (c === '.') {
      if (segment !== '') segments.push(segment);
      segment = '';
    } else {
      segment += c;
    }
    pos += 1;
  }
  if (segment !== '') segments.push(segment);
  if (segments.length === 0) return { problem: `"${source}" is not a field path` };
  return { source, segments, bodyOnly: source.startsWith('[') };
}

/** @returns true when `value` is a parsed path rather than a problem. */
export function isFieldPath(value: FieldPath | { readonly problem: string }): value is FieldPath {
  return 'segments' in value;
}

const RECORD_NAMES = new Set(['key', 'topic', 'partition', 'offset']);

/**
 * The text of a path in an event, as templates render it (strings as they are, numbers and booleans with `String`,
 * objects and arrays as JSON), or `undefined` when the field is missing or `null`. Unlike a template, this tells a
 * missing field from an empty one, as Fluent Bit's grep does. A text body is the field `log`.
 */
export function fieldText(event: LogEvent, path: FieldPath): string | undefined {
  const { segments } = path;
  const head = segments[0] ?? '';
  if (!path.bodyOnly) {
    if (segments.length === 2 && head === 'header')
      return event.record.headers[segments[1] ?? '']?.toString();
    if (segments.length === 1 && RECORD_NAMES.has(head)) return recordText(event, head);
  }
  // A text body reads as `{ "log": <text> }`, the field the other transforms give it.
  if (typeof event.body === 'string') return segments.length === 1 && head === 'log' ? event.body : undefined;
  return asText(valueAt(event.body, segments));
}

/** @returns the value at `segments` in a body, or `undefined` when missing (a text body has no fields). */
export function valueAt(body: JsonObject | string, segments: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = typeof body === 'string' ? undefined : body;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = value[segment];
  }
  return value;
}

function recordText(event: LogEvent, name: string): string | undefined {
  const { record } = event;
  if (name === 'key') return record.key?.toString();
  if (name === 'topic') return record.position.topic;
  if (name === 'partition') return String(record.position.partition);
  return record.position.offset.toString();
}

function asText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
