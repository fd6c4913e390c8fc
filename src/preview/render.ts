/**
 * How the preview shows records, events and what sinks would send. A sink's encoded form is read by its shape: the
 * HEC sink's `{text, query}` and the topic sinks' `{topic, payload, contentType, properties}` (the encoders' own
 * output, nothing re-encoded here).
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { type JsonObject, type LogEvent, recordsOf, type SourceRecord } from '../engine/index.ts';
import type { EventView, RecordView, SinkOutput } from './report.ts';

/** Record values longer than this are cut in the report (the preview still runs on the whole value). */
export const MAX_SHOWN_VALUE_BYTES = 16 * 1024;

/** `topic/partition@offset`, as dead-letter logs write it. */
export function positionOf(record: SourceRecord): string {
  const { topic, partition, offset } = record.position;
  return `${topic}/${partition}@${offset}`;
}

/** A record for the report. */
export function recordView(record: SourceRecord): RecordView {
  const { topic, partition, offset } = record.position;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) headers[name] = value.toString('utf8');
  const value = record.value ?? Buffer.alloc(0);
  const shown = value.length > MAX_SHOWN_VALUE_BYTES ? value.subarray(0, MAX_SHOWN_VALUE_BYTES) : value;
  const text = isUtf8(shown) ? { value: shown.toString('utf8') } : { value_base64: shown.toString('base64') };
  return {
    topic,
    partition,
    offset: offset.toString(),
    timestamp: new Date(record.timestampMs).toISOString(),
    key: record.key === null ? null : record.key.toString('utf8'),
    ...text,
    ...(shown === value ? {} : { value_truncated_from: value.length }),
    headers,
  };
}

/** An event for the report. */
export function eventView(event: LogEvent): EventView {
  const records = recordsOf(event);
  return {
    body: event.body,
    time: Number.isFinite(event.timeMs) ? new Date(event.timeMs).toISOString() : String(event.timeMs),
    meta: event.meta,
    records: records.map(positionOf),
  };
}

interface HecShape {
  readonly text: string;
  readonly query: string;
}

interface MessageShape {
  readonly topic: string;
  readonly payload: Buffer;
  readonly contentType: string;
  readonly properties: readonly { readonly name: string; readonly value: string | number }[];
}

/** What a sink would send, from its encoded payload. */
export function sinkOutput(sink: string, payload: unknown, raw: boolean): SinkOutput {
  if (isMessage(payload)) {
    return {
      sink,
      topic: payload.topic,
      content_type: payload.contentType,
      properties: Object.fromEntries(payload.properties.map((p) => [p.name, p.value])),
      payload: payload.payload.toString('utf8'),
    };
  }
  if (isHec(payload)) {
    const query = payload.query === '' ? {} : { query: payload.query };
    if (raw) return { sink, endpoint: '/services/collector/raw', text: payload.text, ...query };
    return {
      sink,
      endpoint: '/services/collector/event',
      envelope: JSON.parse(payload.text) as JsonObject,
      ...query,
    };
  }
  return { sink, endpoint: 'unknown', text: JSON.stringify(payload) };
}

function isHec(payload: unknown): payload is HecShape {
  const p = payload as Partial<HecShape> | null;
  return typeof p?.text === 'string' && typeof p.query === 'string';
}

function isMessage(payload: unknown): payload is MessageShape {
  const p = payload as Partial<MessageShape> | null;
  return typeof p?.topic === 'string' && Buffer.isBuffer(p.payload) && Array.isArray(p.properties);
}
