/**
 * kafkajs messages → engine records.
 * @module
 */
import type { KafkaMessage } from 'kafkajs';
import type { SourceRecord } from '../../engine/index.ts';

/** Shared by every record without headers (one object less per record). */
const NO_HEADERS: Record<string, Buffer> = Object.freeze({});

/** Converts one fetched message; a repeated header keeps its last value, string headers become UTF-8 bytes. */
export function toSourceRecord(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  let headers: Record<string, Buffer> = NO_HEADERS;
  let headerBytes = 0;
  if (message.headers !== undefined && Object.keys(message.headers).length > 0) {
    headers = {};
    for (const [name, raw] of Object.entries(message.headers)) {
      const last = Array.isArray(raw) ? raw.at(-1) : raw;
      if (last === undefined) continue;
      const value = typeof last === 'string' ? Buffer.from(last, 'utf8') : last;
      headers[name] = value;
      headerBytes += name.length + value.length;
    }
  }
  const key = message.key ?? null;
  const value = message.value ?? null;
  return {
    position: { topic, partition, offset: BigInt(message.offset) },
    key,
    value,
    headers,
    timestampMs: Number(message.timestamp),
    sizeBytes: (key?.length ?? 0) + (value?.length ?? 0) + headerBytes,
  };
}
