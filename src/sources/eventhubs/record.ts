/**
 * Received events → engine records: the position is the partition and sequence number; the value the raw body
 * (bodies are never parsed by the SDK: `skipParsingBodyAsJson`), headers the application properties, the key the
 * partition key, the time the enqueued time.
 * @module
 */
import type { ReceivedEventData } from '@azure/event-hubs';
import type { SourceRecord } from '../../engine/index.ts';

const NO_HEADERS: Record<string, Buffer> = Object.freeze({});

/** Converts one event of `eventHub`'s partition `partition`. */
export function toSourceRecord(eventHub: string, partition: number, event: ReceivedEventData): SourceRecord {
  const value = bodyBytes(event.body);
  let headers = NO_HEADERS;
  let headerBytes = 0;
  const properties = event.properties;
  if (properties !== undefined && Object.keys(properties).length > 0) {
    headers = {};
    for (const [name, raw] of Object.entries(properties)) {
      const bytes = Buffer.isBuffer(raw)
        ? raw
        : Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw));
      headers[name] = bytes;
      headerBytes += name.length + bytes.length;
    }
  }
  const key = typeof event.partitionKey === 'string' ? Buffer.from(event.partitionKey) : null;
  return {
    position: { topic: eventHub, partition, offset: BigInt(event.sequenceNumber) },
    key,
    value,
    headers,
    timestampMs: event.enqueuedTimeUtc.getTime(),
    sizeBytes: (key?.length ?? 0) + (value?.length ?? 0) + headerBytes,
  };
}

function bodyBytes(body: unknown): Buffer | null {
  if (body === undefined || body === null) return null;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}
