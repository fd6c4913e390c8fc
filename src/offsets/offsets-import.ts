/**
 * Reads offsets to import from a file: logbridge's offsets file, the MSCS add-on's checkpoint file, or Azure SDK
 * Blob checkpoints; recognises which one when not told, and finds the topic of a checkpoint file.
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type AddOnOwnership,
  addOnFileEventHub,
  checkpointOffsets,
  type EventHubCheckpoint,
  parseAddOnCheckpointFile,
  parseAddOnOwnerships,
  parseBlobCheckpoints,
} from './checkpoint-files.ts';
import { OffsetsFileError } from './errors.ts';
import { OFFSETS_FILE_FORMAT, parseOffsetsDocument } from './offsets-file.ts';
import type { ExplicitOffset } from './reset-targets.ts';

/** The file formats `logbridge offsets import` reads. */
export const OFFSETS_FILE_FORMATS = ['logbridge', 'mscs-checkpoint', 'azure-checkpoints'] as const;
/** One of {@link OFFSETS_FILE_FORMATS}. */
export type OffsetsFileFormat = (typeof OFFSETS_FILE_FORMATS)[number];

/** Options of {@link readOffsetsFile}. */
export interface ReadOffsetsOptions {
  /** Default: recognised from the content. */
  readonly format?: OffsetsFileFormat;
  /** The connector's topics. */
  readonly topics: readonly string[];
  /** The topic of a checkpoint file's event hub, when it cannot be told from the file. */
  readonly topic?: string;
}

/** What a file asks to import. */
export interface ImportedOffsets {
  readonly format: OffsetsFileFormat;
  readonly offsets: ExplicitOffset[];
  /** Where the offsets come from, in words (printed above the plan). */
  readonly origin: string;
  /** What to check before executing (an add-on that may still be reading), printed above the plan. */
  readonly warnings: readonly string[];
}

/**
 * The add-on's ownership expiry (300 s, reference/splunk-hec.md §10): an ownership renewed more recently may belong
 * to an input that still runs.
 */
export const ADD_ON_OWNERSHIP_EXPIRY_MS = 300_000;

/**
 * Reads a file of offsets to import. Checkpoint formats give `sequence number + 1` per partition.
 * @throws OffsetsFileError (LB_OFFSETS_FILE) when the file cannot be read or parsed, or a checkpoint file's topic
 *   cannot be told (pass `topic`).
 */
export function readOffsetsFile(
  path: string,
  options: ReadOffsetsOptions,
  now: Date = new Date(),
): ImportedOffsets {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new OffsetsFileError(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const format = options.format ?? detectOffsetsFormat(bytes, path);
  switch (format) {
    case 'logbridge': {
      const file = parseOffsetsDocument(bytes.toString('utf8'), path);
      const from = [file.connector && `connector ${file.connector}`, file.group && `group ${file.group}`]
        .filter(Boolean)
        .join(', ');
      const at = file.exportedAt === undefined ? '' : ` at ${file.exportedAt}`;
      return {
        format,
        offsets: file.offsets,
        origin: `offsets exported from ${from || 'unknown'}${at}`,
        warnings: [],
      };
    }
    case 'mscs-checkpoint': {
      const checkpoints = parseAddOnCheckpointFile(bytes, path);
      const imported = checkpointImport(format, checkpoints, path, addOnFileTopic(path, options));
      return { ...imported, warnings: liveAddOnWarnings(parseAddOnOwnerships(bytes, path), now) };
    }
    case 'azure-checkpoints': {
      const checkpoints = parseBlobCheckpoints(bytes.toString('utf8'), path);
      const topic = checkpointTopic(checkpoints, path, options);
      return checkpointImport(format, checkpoints, path, topicOrFail(topic, path, options));
    }
  }
}

/**
 * Recognises a file's format: the add-on's file starts with a JSON array page padded to 4 KiB, logbridge's is a
 * JSON object with `"format": "logbridge-offsets"`, Blob checkpoints a JSON array.
 * @throws OffsetsFileError when it is none of them.
 */
export function detectOffsetsFormat(bytes: Uint8Array, source: string): OffsetsFileFormat {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (bytes.length >= 4096 && bytes.length % 4096 === 0 && head.startsWith('[') && /[ \0]$/.test(head)) {
    return 'mscs-checkpoint';
  }
  const text = head.trimStart();
  if (text.startsWith('{') && new TextDecoder().decode(bytes).includes(`"${OFFSETS_FILE_FORMAT}"`)) {
    return 'logbridge';
  }
  if (text.startsWith('[')) return 'azure-checkpoints';
  throw new OffsetsFileError(
    `${source}: unknown format; expected a logbridge offsets file, an MSCS add-on checkpoint file (.v1.ckpt) ` +
      'or a JSON array of Azure Blob checkpoints (pass --format)',
  );
}

/** The topic: the one asked for, else the event hub the checkpoints name, else the connector's only topic. */
function checkpointTopic(
  checkpoints: readonly EventHubCheckpoint[],
  source: string,
  options: ReadOffsetsOptions,
): string | undefined {
  if (options.topic !== undefined) return options.topic;
  const hubs = [
    ...new Set(checkpoints.flatMap((c) => (c.eventHub === undefined ? [] : [c.eventHub.toLowerCase()]))),
  ];
  if (hubs.length > 1) {
    throw new OffsetsFileError(
      `${source} holds checkpoints of several event hubs (${hubs.join(', ')}): pass --topic`,
    );
  }
  const [hub] = hubs;
  if (hub === undefined) return undefined;
  const topic = options.topics.find((t) => t.toLowerCase() === hub);
  if (topic === undefined) {
    throw new OffsetsFileError(
      `${source} holds checkpoints of event hub ${hub}, which the connector does not consume ` +
        `(topics: ${options.topics.join(', ')}); pass --topic to import them anyway`,
    );
  }
  return topic;
}

/**
 * The topic of an add-on checkpoint file: `--topic`, else the topic its name `<namespace>-<event hub>-<consumer
 * group>.v1.ckpt` contains, else (a renamed file) the connector's only topic.
 */
function addOnFileTopic(path: string, options: ReadOffsetsOptions): string {
  if (options.topic !== undefined) return options.topic;
  const name = basename(path);
  const named = addOnFileEventHub(name, options.topics);
  if (named !== undefined || !name.endsWith('.v1.ckpt')) return topicOrFail(named, path, options);
  throw new OffsetsFileError(
    `${path}: the file name names none of the connector's topics (${options.topics.join(', ')}) as its event ` +
      'hub: pass --topic to import it anyway',
  );
}

function topicOrFail(topic: string | undefined, source: string, options: ReadOffsetsOptions): string {
  if (topic !== undefined) return topic;
  const [only, ...others] = options.topics;
  if (only !== undefined && others.length === 0) return only;
  throw new OffsetsFileError(
    `${source}: cannot tell which of the connector's topics (${options.topics.join(', ')}) the checkpoints ` +
      'are for: pass --topic',
  );
}

function checkpointImport(
  format: OffsetsFileFormat,
  checkpoints: readonly EventHubCheckpoint[],
  source: string,
  topic: string,
): ImportedOffsets {
  if (checkpoints.length === 0) throw new OffsetsFileError(`${source} holds no checkpoint`);
  const what = format === 'mscs-checkpoint' ? 'MSCS add-on checkpoints' : 'Azure Blob checkpoints';
  return {
    format,
    offsets: checkpointOffsets(checkpoints, topic),
    origin:
      `${what} of ${checkpoints.length} partition(s) for topic ${topic}: TARGET is the next event after each ` +
      'checkpoint (sequence number + 1)',
    warnings: [],
  };
}

/** A warning when the add-on renewed an ownership within its expiry: its input may still be reading. */
function liveAddOnWarnings(ownerships: readonly AddOnOwnership[], now: Date): string[] {
  const recent = ownerships.filter((o) => now.getTime() - o.renewedAt.getTime() < ADD_ON_OWNERSHIP_EXPIRY_MS);
  if (recent.length === 0) return [];
  const newest = Math.max(...recent.map((o) => o.renewedAt.getTime()));
  const seconds = Math.max(0, Math.round((now.getTime() - newest) / 1000));
  return [
    `the add-on renewed its ownership of partition(s) ${recent.map((o) => o.partition).join(',')} ` +
      `${seconds} s ago (it expires after 300 s): if its input still runs, everything it reads from now on is ` +
      'delivered twice and its last checkpoint is behind what it sent. Stop the input first, then import again.',
  ];
}
