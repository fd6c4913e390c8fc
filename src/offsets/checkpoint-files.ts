/**
 * Checkpoints of AMQP Event Hubs consumers, to carry over to Kafka offsets at a cut-over from a Heavy Forwarder:
 * the Splunk MSCS add-on's local checkpoint file, and Azure SDK Blob checkpoints. A checkpoint holds the sequence
 * number of the last event processed; the Kafka offset to resume from is that number + 1
 * (reference/eventhubs-kafka.md §6, reference/splunk-hec.md §10).
 * @module
 */
import { OffsetsFileError } from './errors.ts';
import type { ExplicitOffset } from './reset-targets.ts';

/** One partition's checkpoint. */
export interface EventHubCheckpoint {
  readonly partition: number;
  /** Sequence number of the last event processed. */
  readonly sequenceNumber: bigint;
  /** The event hub, when the checkpoint names it. */
  readonly eventHub: string | undefined;
}

/** The Kafka offsets to resume right after each checkpoint: sequence number + 1, on `topic`. */
export function checkpointOffsets(
  checkpoints: readonly EventHubCheckpoint[],
  topic: string,
): ExplicitOffset[] {
  return checkpoints.map((c) => ({ topic, partition: c.partition, offset: c.sequenceNumber + 1n }));
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the MSCS add-on's local checkpoint file `<namespace>-<event hub>-<consumer group>.v1.ckpt`
 * (`SharedLocalCheckpoint` in `mscs_azure_event_hub.py`): fixed-size pages, each a JSON array padded with spaces,
 * never-written pages all NUL bytes. Page 0 is `[etag, time, page size, header pages, pages per partition,
 * partitions, pages]`; partition p owns page `header + p × per-partition` (ownership) and the next one (checkpoint
 * `[etag, time, offset, sequence number]`). The layout is read from the header, not assumed.
 * @param source the file name, for messages.
 * @throws OffsetsFileError (LB_OFFSETS_FILE) when the header or a checkpoint page does not have that shape.
 */
export function parseAddOnCheckpointFile(bytes: Uint8Array, source: string): EventHubCheckpoint[] {
  const header = parseHeader(bytes, source);
  const checkpoints: EventHubCheckpoint[] = [];
  for (let partition = 0; partition < header.partitions; partition += 1) {
    const page = header.headerPages + header.pagesPerPartition * partition + 1;
    const text = pageText(bytes, page, header.pageSize);
    if (!text.startsWith('[')) continue; // never written: no checkpoint for this partition
    const sequenceNumber = checkpointSequence(text, `${source}: partition ${partition} (page ${page})`);
    checkpoints.push({ partition, sequenceNumber, eventHub: undefined });
  }
  return checkpoints;
}

/** A partition the add-on's file says is owned: by whom, and when the owner last renewed it. */
export interface AddOnOwnership {
  readonly partition: number;
  readonly ownerId: string;
  readonly renewedAt: Date;
}

/**
 * The ownership records of the add-on's file (`[etag, time, owner id]`, time in seconds since the epoch), to tell
 * whether the add-on may still be reading.
 */
export function parseAddOnOwnerships(bytes: Uint8Array, source: string): AddOnOwnership[] {
  const header = parseHeader(bytes, source);
  const ownerships: AddOnOwnership[] = [];
  for (let partition = 0; partition < header.partitions; partition += 1) {
    const text = pageText(bytes, header.headerPages + header.pagesPerPartition * partition, header.pageSize);
    const record = text.startsWith('[') ? parseJson(text) : undefined;
    if (!Array.isArray(record) || record.length !== 3) continue;
    const [, time, owner] = record as unknown[];
    if (typeof time !== 'number' || typeof owner !== 'string' || owner === '') continue;
    ownerships.push({ partition, ownerId: owner, renewedAt: new Date(time * 1000) });
  }
  return ownerships;
}

interface CheckpointHeader {
  readonly pageSize: number;
  readonly headerPages: number;
  readonly pagesPerPartition: number;
  readonly partitions: number;
}

function parseHeader(bytes: Uint8Array, source: string): CheckpointHeader {
  const first = pageText(bytes, 0, Math.min(bytes.length, 4096));
  const values = first.startsWith('[') ? parseJson(first) : undefined;
  const numbers: unknown[] = Array.isArray(values) ? values.slice(2) : [];
  const [pageSize, headerPages, pagesPerPartition, partitions, pages] = numbers;
  const valid =
    numbers.length === 5 &&
    numbers.every((n) => Number.isSafeInteger(n) && (n as number) > 0) &&
    (pagesPerPartition as number) >= 2;
  if (!valid) {
    throw new OffsetsFileError(
      `${source} is not an MSCS add-on checkpoint file: page 0 is not [etag, time, page size, header pages, ` +
        'pages per partition, partitions, pages]',
    );
  }
  const size = (pageSize as number) * (pages as number);
  if (bytes.length < size) {
    throw new OffsetsFileError(
      `${source} is ${bytes.length} bytes but its header says ${size}: is it truncated?`,
    );
  }
  return {
    pageSize: pageSize as number,
    headerPages: headerPages as number,
    pagesPerPartition: pagesPerPartition as number,
    partitions: partitions as number,
  };
}

/** A page's text without its padding (spaces) or the NULs of a page never written. */
function pageText(bytes: Uint8Array, page: number, pageSize: number): string {
  const slice = bytes.subarray(page * pageSize, (page + 1) * pageSize);
  let text: string;
  try {
    text = decoder.decode(slice);
  } catch {
    return '';
  }
  return text.replace(/[\s\0]+$/, '');
}

/** The sequence number of a checkpoint page, taken from its digits (JSON numbers lose precision above 2^53). */
function checkpointSequence(text: string, where: string): bigint {
  const record = parseJson(text);
  const digits = /,\s*(\d+)\s*\]$/.exec(text)?.[1];
  if (
    !Array.isArray(record) ||
    record.length !== 4 ||
    typeof record[2] !== 'string' ||
    digits === undefined
  ) {
    throw new OffsetsFileError(`${where} is not a checkpoint [etag, time, offset, sequence number]`);
  }
  return BigInt(digits);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses Azure SDK Blob checkpoints exported as JSON, one array of either
 * - blob listings with metadata (`az storage blob list --include m -o json`): `{"name":
 *   "<namespace>/<event hub>/<consumer group>/checkpoint/<partition>", "metadata": {"sequencenumber": "…"}}`
 *   (ownership blobs are skipped), or
 * - checkpoint objects (`CheckpointStore.listCheckpoints()`): `{"partitionId": "0", "sequenceNumber": 123,
 *   "eventHubName": "…"}` (JavaScript/.NET) or `{"partition_id", "sequence_number", "eventhub_name"}` (Python).
 * @throws OffsetsFileError (LB_OFFSETS_FILE) when it is not such an array.
 */
export function parseBlobCheckpoints(text: string, source: string): EventHubCheckpoint[] {
  const value = parseJson(text);
  if (!Array.isArray(value)) {
    throw new OffsetsFileError(`${source} is not a JSON array of Azure Blob checkpoints`);
  }
  return value.flatMap((item: unknown, index) => blobCheckpoint(item, `${source}[${index}]`));
}

function blobCheckpoint(item: unknown, where: string): EventHubCheckpoint[] {
  if (typeof item !== 'object' || item === null) throw new OffsetsFileError(`${where} is not an object`);
  const fields = item as Record<string, unknown>;
  if (typeof fields['name'] === 'string') return listedBlob(fields['name'], fields['metadata'], where);
  const partition = fields['partitionId'] ?? fields['partition_id'];
  const sequence = fields['sequenceNumber'] ?? fields['sequence_number'];
  const hub = fields['eventHubName'] ?? fields['eventhub_name'];
  return [checkpointOf(partition, sequence, typeof hub === 'string' ? hub : undefined, where)];
}

function listedBlob(name: string, metadata: unknown, where: string): EventHubCheckpoint[] {
  const parts = name.split('/');
  if (parts.at(-2) !== 'checkpoint') return []; // an ownership blob
  const sequence = (metadata as Record<string, unknown> | null | undefined)?.['sequencenumber'];
  return [checkpointOf(parts.at(-1), sequence, parts.at(-4), where)];
}

function checkpointOf(
  partition: unknown,
  sequence: unknown,
  eventHub: string | undefined,
  where: string,
): EventHubCheckpoint {
  const p = typeof partition === 'string' && /^\d+$/.test(partition) ? Number(partition) : partition;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0) {
    throw new OffsetsFileError(`${where}: no partition id`);
  }
  const digits = typeof sequence === 'number' && Number.isSafeInteger(sequence) ? String(sequence) : sequence;
  if (typeof digits !== 'string' || !/^\d{1,19}$/.test(digits)) {
    throw new OffsetsFileError(`${where}: no sequence number`);
  }
  return { partition: p, sequenceNumber: BigInt(digits), eventHub };
}

/**
 * The event hub an add-on checkpoint file is about, among `topics`: its name is
 * `<namespace>-<event hub>-<consumer group>.v1.ckpt`, and names are case-insensitive on Event Hubs.
 * @returns the one topic the name contains, or undefined when none or several do.
 */
export function addOnFileEventHub(fileName: string, topics: readonly string[]): string | undefined {
  const name = fileName.toLowerCase();
  const matches = topics.filter((t) => name.includes(`-${t.toLowerCase()}-`));
  return matches.length === 1 ? matches[0] : undefined;
}
