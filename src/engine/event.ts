/**
 * The event that transforms shape and sinks deliver.
 * @module
 */
import type { SourceRecord } from './record.ts';

/** A JSON value as parsed by `JSON.parse`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Where an event goes and how it is labelled there. Transforms (`route`) set these; each sink reads its own keys and
 * falls back to its configured defaults.
 */
export interface EventMeta {
  readonly index?: string;
  readonly sourcetype?: string;
  readonly source?: string;
  readonly host?: string;
  /** Solace / MQTT topic. */
  readonly topic?: string;
}

/**
 * One log event. Usually one per record; a split record yields several (each with the same `record`), and a
 * reassembled line (CRI `P` fragments) lists in `joined` the events it was built from, so that every record whose
 * content it carries settles only when the whole line reaches its outcome.
 */
export interface LogEvent {
  /** The record this event came from: its coordinates travel with the event. */
  readonly record: SourceRecord;
  /**
   * The events whose content this one carries (the fragments of a reassembled line, the last one included), as the
   * stateful transform that joined them received them. Their records settle with this event, and the hold each
   * fragment took while it was kept passes to this event (see `StatefulTransform`).
   */
  readonly joined?: readonly LogEvent[];
  /** A JSON object for structured logs, a string for plain text. */
  readonly body: JsonObject | string;
  /**
   * True when the body is exactly the record's value: a JSON object on one line, so that sinks can write those bytes
   * (or their text) instead of serializing the body again, and should not read `body` unless they need its fields
   * (it is parsed on demand). Only the decoder sets it, and only for a connector
   * without transforms (`keepJsonText`): nothing can then change the body. A transform never sets or copies it.
   */
  readonly bodyAsRead?: boolean;
  /** Event time, epoch milliseconds. */
  readonly timeMs: number;
  readonly meta: EventMeta;
}

/**
 * What the engine keeps of an event once every sink has encoded it: the records it settles. Not the body: held
 * until the records settle, bodies would be most of an in-flight record's memory and of the garbage collector's work.
 */
export type Carrier = Pick<LogEvent, 'record' | 'joined'>;

/** @returns what the engine keeps of `event` once it is encoded. */
export function carrierOf(event: LogEvent): Carrier {
  return event.joined === undefined
    ? { record: event.record }
    : { record: event.record, joined: event.joined };
}

/** @returns every record whose content `event` carries: its own, then those of the events it joined, each once. */
export function recordsOf(event: Carrier): SourceRecord[] {
  if (event.joined === undefined) return [event.record];
  const records = new Set<SourceRecord>();
  collect(event, records);
  return [...records];
}

function collect(event: Carrier, into: Set<SourceRecord>): void {
  into.add(event.record);
  if (event.joined !== undefined) for (const part of event.joined) collect(part, into);
}
