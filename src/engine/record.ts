/**
 * Records as the source hands them to the engine, with their position in the log.
 * @module
 */

/** Where a record sits in the log: the coordinates every event keeps so that duplicates can be found downstream. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset (Event Hubs sequence number). */
  readonly offset: bigint;
}

/** One record read from the source, untouched. */
export interface SourceRecord {
  readonly position: RecordPosition;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Kafka headers; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Record timestamp, epoch milliseconds. */
  readonly timestampMs: number;
  /** Key, value and header bytes: what the record costs in the in-flight budget. */
  readonly sizeBytes: number;
}

/** A topic and partition, the unit of checkpoints. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A string key for maps indexed by partition: `topic:partition` (Kafka topic names cannot contain `:`). */
export type PartitionKey = string;

/** @returns the map key of a topic partition. */
export function partitionKey(tp: TopicPartition): PartitionKey {
  return `${tp.topic}:${tp.partition}`;
}

/** A checkpoint to commit: the next offset to read in a partition. */
export interface CommitOffset extends TopicPartition {
  /** 1 + the highest offset below which every record is settled. */
  readonly offset: bigint;
}
