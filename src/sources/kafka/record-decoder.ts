/**
 * A faster decoder for one record of a Kafka record batch (v2, magic 2), put in place of kafkajs 2.2.4's
 * `protocol/recordBatch/record/v0/decoder.js` before kafkajs loads. kafkajs works out every record's offset and
 * timestamp with 64-bit `Long` objects: the batch's first offset and time parsed from their decimal strings, the
 * delta added, the sum printed again (`Long.fromString`, `add`, `toString`), and the timestamp delta read as a varlong
 * one `Long` per byte. Here the same values are numbers when they fit in 2^53, which Kafka offsets and epoch
 * milliseconds do; anything else goes to kafkajs's own decoder from the record's first byte. The record it returns is
 * the one kafkajs builds, field for field (test/unit/sources/kafka/record-decoder.test.ts compares them).
 *
 * Record => Length Attributes:int8 TimestampDelta:varlong OffsetDelta:varint Key:bytes Value:bytes Headers:[Header]
 * (https://kafka.apache.org/documentation/#record); the length was read by the batch decoder.
 * @module
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The parts of kafkajs's `Decoder` a record decoder reads with. */
interface KafkaDecoder {
  readonly buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
  readVarIntArray<T>(item: (decoder: KafkaDecoder) => T): T[];
}

/** What the batch decoder hands to each record (kafkajs's `recordContext`), as far as a record reads it. */
interface BatchContext {
  readonly firstOffset: string;
  readonly firstTimestamp: string;
  readonly maxTimestamp: string;
  readonly timestampType: number;
  readonly magicByte: number;
  readonly isControlBatch?: boolean;
}

type RecordDecoder = (decoder: KafkaDecoder, batchContext?: BatchContext) => unknown;

const RECORD_DECODER = 'kafkajs/src/protocol/recordBatch/record/v0/decoder.js';
const BATCH_DECODER = 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
/** kafkajs's `TimestampTypes.LOG_APPEND_TIME`. */
const LOG_APPEND_TIME = 1;

/**
 * Puts the faster decoder in kafkajs's module cache. Call before kafkajs is first loaded; once its record batch
 * decoder is loaded it holds the original, and this changes nothing.
 * @returns whether records are decoded by the faster decoder.
 */
export function installRecordDecoder(): boolean {
  const path = require.resolve(RECORD_DECODER);
  const cached = require.cache[path];
  if (cached?.exports === fastDecoder) return true;
  if (require.cache[require.resolve(BATCH_DECODER)] !== undefined) return false;
  original = require(path) as RecordDecoder;
  const module = require.cache[path];
  if (module === undefined) return false;
  module.exports = fastDecoder;
  return true;
}

let original: RecordDecoder | undefined;

/** kafkajs's record decoder (for records whose numbers need 64 bits, and for tests). */
export function originalRecordDecoder(): RecordDecoder {
  original ??= require(require.resolve(RECORD_DECODER)) as RecordDecoder;
  return original;
}

/** The decoder kafkajs uses once `installRecordDecoder` ran. */
export function fastDecoder(decoder: KafkaDecoder, batchContext?: BatchContext): unknown {
  const context = batchContext ?? ({} as BatchContext);
  const start = decoder.offset;
  const attributes = decoder.readInt8();
  const timestampDelta = readVarLong(decoder);
  const offsetDelta = decoder.readVarInt();
  const firstOffset = Number(context.firstOffset);
  const offset = firstOffset + offsetDelta;
  const appendTime = context.timestampType === LOG_APPEND_TIME && Boolean(context.maxTimestamp);
  const timestamp = appendTime ? 0 : Number(context.firstTimestamp) + (timestampDelta ?? 0);
  if (timestampDelta === undefined || !Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) {
    decoder.offset = start;
    return originalRecordDecoder()(decoder, batchContext);
  }
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = decoder.readVarIntArray(readHeader);
  return {
    magicByte: context.magicByte,
    attributes,
    timestamp: appendTime ? context.maxTimestamp : String(timestamp),
    offset: String(offset),
    key,
    value,
    headers: headers.length === 0 ? {} : headersOf(headers),
    isControlRecord: context.isControlBatch ?? false,
    batchContext,
  };
}

/**
 * A zigzag varlong as a number, or `undefined` when it needs more than 2^53 (then kafkajs reads it). Bytes carry 7
 * bits each, least significant first.
 */
function readVarLong(decoder: KafkaDecoder): number | undefined {
  const { buffer } = decoder;
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 8; i += 1) {
    const byte = buffer[decoder.offset++];
    if (byte === undefined) return undefined;
    raw += (byte & 0x7f) * scale;
    if (raw > Number.MAX_SAFE_INTEGER) return undefined;
    if (byte < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    scale *= 128;
  }
  return undefined;
}

interface Header {
  readonly key: string | null;
  readonly value: Buffer | null;
}

/** Header => Key:varint string Value:varint bytes (kafkajs's `header/v0/decoder.js`). */
function readHeader(decoder: KafkaDecoder): Header {
  return { key: decoder.readVarIntString(), value: decoder.readVarIntBytes() };
}

type Headers = Record<string, Buffer | null | (Buffer | null)[]>;

/** Headers as kafkajs gives them, built as it builds them: a repeated key becomes an array of its values, in order. */
function headersOf(headers: readonly Header[]): Headers {
  return headers.reduce<Headers>((out, { key, value }) => {
    const name = String(key);
    const seen = out[name];
    return {
      ...out,
      [name]: seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value],
    };
  }, {});
}
