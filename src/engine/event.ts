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
 * reassembled line (CRI `P` fragments) lists the other records it was built from in `joined`, so that every one of
 * them settles only when the whole line is delivered.
 */
export interface LogEvent {
  /** The record this event came from: its coordinates travel with the event. */
  readonly record: SourceRecord;
  /** Further records whose content this event carries (reassembled lines). */
  readonly joined?: readonly SourceRecord[];
  /** A JSON object for structured logs, a string for plain text. */
  readonly body: JsonObject | string;
  /** Event time, epoch milliseconds. */
  readonly timeMs: number;
  readonly meta: EventMeta;
}
