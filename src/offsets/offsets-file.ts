/**
 * Offsets as JSON: Kafka Connect's KIP-875 rows for sink connectors (`{"partition": {"kafka_topic",
 * "kafka_partition"}, "offset": {"kafka_offset"} | null}`), used by the REST offsets endpoints and by logbridge's
 * own offsets file (`logbridge offsets export` / `import`), which wraps the rows with a format name and version.
 * @module
 */
import { describeGroupOffsets, type OffsetsAdapter, type PartitionState } from './adapter.ts';
import { OffsetsFileError, OffsetsRequestError } from './errors.ts';
import type { ExplicitOffset } from './reset-targets.ts';

/**
 * One KIP-875 row. `kafka_offset` is the next offset to consume; a JSON number, or a decimal string when above
 * 2^53 (JSON numbers lose precision there). `offset: null` = no committed offset.
 */
export interface ConnectOffsetRow {
  readonly partition: { readonly kafka_topic: string; readonly kafka_partition: number };
  readonly offset: { readonly kafka_offset: number | string } | null;
}

/** `format` of logbridge's offsets file. */
export const OFFSETS_FILE_FORMAT = 'logbridge-offsets';
/** The version this logbridge writes and reads. */
export const OFFSETS_FILE_VERSION = 1;

/** logbridge's offsets file, version 1 (docs/offsets.md). */
export interface OffsetsDocument {
  readonly format: typeof OFFSETS_FILE_FORMAT;
  readonly version: typeof OFFSETS_FILE_VERSION;
  readonly connector: string;
  readonly group: string;
  /** ISO 8601 time of the export. */
  readonly exported_at: string;
  /** Every partition of the connector's topics; `offset: null` where the group had no committed offset. */
  readonly offsets: readonly ConnectOffsetRow[];
}

/**
 * KIP-875 rows of `states`: by default only partitions with a committed offset (what `GET /offsets` lists);
 * `includeUncommitted` adds the others with `offset: null`.
 */
export function toConnectOffsets(
  states: readonly PartitionState[],
  options: { readonly includeUncommitted?: boolean } = {},
): ConnectOffsetRow[] {
  return states
    .filter((s) => s.committed !== undefined || options.includeUncommitted === true)
    .map((s) => ({
      partition: { kafka_topic: s.topic, kafka_partition: s.partition },
      offset: s.committed === undefined ? null : { kafka_offset: jsonOffset(s.committed) },
    }));
}

function jsonOffset(offset: bigint): number | string {
  return offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : offset.toString();
}

/**
 * Parses a KIP-875 body `{"offsets": [row, …]}` (REST PATCH, or the rows of an offsets file).
 * @throws OffsetsRequestError (LB_OFFSETS_INVALID) naming the first bad row and what is wrong with it.
 */
export function parseConnectOffsets(body: unknown): ExplicitOffset[] {
  const offsets = isObject(body) ? body['offsets'] : undefined;
  if (!Array.isArray(offsets)) {
    throw new OffsetsRequestError('expected {"offsets": [{"partition": {…}, "offset": {…}}, …]}');
  }
  return offsets.map((row: unknown, index) => parseRow(row, `offsets[${index}]`));
}

function parseRow(row: unknown, where: string): ExplicitOffset {
  const partition = isObject(row) ? row['partition'] : undefined;
  if (!isObject(row) || !isObject(partition)) {
    throw new OffsetsRequestError(
      `${where}: expected {"partition": {"kafka_topic", "kafka_partition"}, "offset"}`,
    );
  }
  const topic = partition['kafka_topic'];
  const number = partition['kafka_partition'];
  if (typeof topic !== 'string' || topic === '') {
    throw new OffsetsRequestError(`${where}.partition.kafka_topic: expected a topic name`);
  }
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new OffsetsRequestError(
      `${where}.partition.kafka_partition: expected a partition number (0 or more)`,
    );
  }
  return { topic, partition: number, offset: parseOffset(row['offset'], `${where}.offset`) };
}

/** Kafka offsets are signed 64-bit integers. */
const MAX_OFFSET = 2n ** 63n - 1n;

function parseOffset(value: unknown, where: string): bigint | null {
  if (value === null) return null;
  const raw = isObject(value) ? value['kafka_offset'] : undefined;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  if (typeof raw === 'string' && /^\d{1,19}$/.test(raw) && BigInt(raw) <= MAX_OFFSET) return BigInt(raw);
  throw new OffsetsRequestError(
    `${where}: expected {"kafka_offset": <offset, 0 or more>} or null (no committed offset)`,
  );
}

/** Reads the group's offsets into an offsets file document. */
export async function exportOffsets(
  adapter: OffsetsAdapter,
  source: { readonly connector: string; readonly groupId: string; readonly topics: readonly string[] },
  now: Date = new Date(),
): Promise<OffsetsDocument> {
  const states = await describeGroupOffsets(adapter, source.groupId, source.topics);
  return offsetsDocument(source.connector, source.groupId, states, now);
}

/** An offsets file document of `states` (every partition; null where uncommitted). */
export function offsetsDocument(
  connector: string,
  groupId: string,
  states: readonly PartitionState[],
  now: Date,
): OffsetsDocument {
  return {
    format: OFFSETS_FILE_FORMAT,
    version: OFFSETS_FILE_VERSION,
    connector,
    group: groupId,
    exported_at: now.toISOString(),
    offsets: toConnectOffsets(states, { includeUncommitted: true }),
  };
}

/** The file's text: indented JSON, one partition per line, with a final newline. */
export function formatOffsetsDocument(document: OffsetsDocument): string {
  const { offsets, ...header } = document;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  const rows = offsets.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  return `${head},\n  "offsets": [${rows === '' ? '' : `\n${rows}\n  `}]\n}\n`;
}

/** What an offsets file holds. */
export interface ParsedOffsetsFile {
  readonly connector: string | undefined;
  readonly group: string | undefined;
  readonly exportedAt: string | undefined;
  readonly offsets: ExplicitOffset[];
}

/**
 * Parses logbridge's offsets file.
 * @param source the file name, for messages.
 * @throws OffsetsFileError (LB_OFFSETS_FILE) when it is not JSON, not this format, a newer version, or a row is bad.
 */
export function parseOffsetsDocument(text: string, source: string): ParsedOffsetsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OffsetsFileError(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(value) || value['format'] !== OFFSETS_FILE_FORMAT) {
    throw new OffsetsFileError(
      `${source} is not a logbridge offsets file (no "format": "${OFFSETS_FILE_FORMAT}")`,
    );
  }
  if (value['version'] !== OFFSETS_FILE_VERSION) {
    throw new OffsetsFileError(
      `${source} has version ${JSON.stringify(value['version'])}; this logbridge reads version ${OFFSETS_FILE_VERSION}`,
    );
  }
  try {
    return {
      connector: stringOrUndefined(value['connector']),
      group: stringOrUndefined(value['group']),
      exportedAt: stringOrUndefined(value['exported_at']),
      offsets: parseConnectOffsets(value),
    };
  } catch (error) {
    throw new OffsetsFileError(`${source}: ${(error as Error).message}`, { cause: error });
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
