/**
 * Dead letters: records that can never be delivered, written with the reason so that nothing is dropped silently.
 * @module
 */
import type { BridgeError } from './errors.ts';
import type { SourceRecord } from './record.ts';

/**
 * Where in the pipeline a record failed, with Kafka Connect's stage names (`__connect.errors.stage`):
 * VALUE_CONVERTER (decoding bytes), TRANSFORMATION (a transform), TASK_PUT (a sink refused it).
 */
export type FailureStage = 'VALUE_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT';

/** Why a record is dead-lettered. */
export interface Failure {
  readonly connector: string;
  readonly stage: FailureStage;
  /** The component at that stage: the transform or sink name (`__connect.errors.class.name`). */
  readonly component: string;
  readonly cause: BridgeError;
}

/** The dead-letter destination. */
export interface DeadLetterQueue {
  /**
   * Writes the original record (key, value, headers) with the failure in headers; resolves once the write is
   * acknowledged.
   * @throws BridgeError `retry` when the write failed transiently (the engine retries with backoff).
   */
  write(record: SourceRecord, failure: Failure): Promise<void>;
  close(): Promise<void>;
}

/**
 * Kafka Connect's dead-letter context (reference/kafka-connect.md §7): the record's coordinates and the failure, as
 * Kafka headers or Event Hubs application properties.
 */
export function deadLetterContext(record: SourceRecord, failure: Failure): Record<string, string> {
  return {
    '__connect.errors.topic': record.position.topic,
    '__connect.errors.partition': String(record.position.partition),
    '__connect.errors.offset': record.position.offset.toString(),
    '__connect.errors.connector.name': failure.connector,
    '__connect.errors.task.id': '0',
    '__connect.errors.stage': failure.stage,
    '__connect.errors.class.name': failure.component,
    '__connect.errors.exception.class.name': failure.cause.code,
    '__connect.errors.exception.message': failure.cause.message,
  };
}
