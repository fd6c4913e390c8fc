import type { SourceRecord } from '../../../src/engine/index.ts';

/** A record for engine unit tests. */
export function record(topic: string, partition: number, offset: number | bigint, value = 'x'): SourceRecord {
  const bytes = Buffer.from(value);
  return {
    position: { topic, partition, offset: BigInt(offset) },
    key: null,
    value: bytes,
    headers: {},
    timestampMs: 1_700_000_000_000,
    sizeBytes: bytes.length,
  };
}
