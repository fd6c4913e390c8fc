/**
 * Writes records to the dead-letter queue for a pipeline, holding each record's ticket until the write is
 * acknowledged, retrying transient failures with backoff; without a queue (or with `errors.tolerance=none`) the
 * connector fails instead, and the hold is never released, so no checkpoint passes the record.
 * @module
 */
import type { Logger } from 'pino';
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import type { DeadLetterQueue, Failure, FailureStage } from './dead-letter.ts';
import { asBridgeError, type BridgeError, UntoleratedError } from './errors.ts';
import type { Holds } from './holds.ts';
import type { EngineMetrics } from './metrics.ts';
import type { SourceRecord } from './record.ts';

/** What the writer needs from its pipeline. */
export interface DeadLetterWriterParts {
  readonly connector: string;
  readonly deadLetters: DeadLetterQueue | undefined;
  readonly tolerance: 'none' | 'all';
  readonly metrics: EngineMetrics;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  readonly signal: AbortSignal;
  readonly onFatal: (cause: BridgeError) => void;
}

/** Dead-letters records, one write per call. */
export class DeadLetterWriter {
  readonly #parts: DeadLetterWriterParts;
  readonly #holds: Holds;
  #pending = 0;

  constructor(parts: DeadLetterWriterParts, holds: Holds) {
    this.#parts = parts;
    this.#holds = holds;
  }

  /** Writes under way. */
  get pending(): number {
    return this.#pending;
  }

  /** Dead-letters `record`, holding its ticket until the write is acknowledged. */
  write(record: SourceRecord, stage: FailureStage, component: string, cause: BridgeError): void {
    const { deadLetters, tolerance, connector, onFatal } = this.#parts;
    const ticket = this.#holds.ticket(record);
    ticket?.retain();
    if (deadLetters === undefined || tolerance === 'none') {
      onFatal(
        new UntoleratedError(
          `record ${positionOf(record)} failed at ${stage} (${component}): ${cause.message}. To dead-letter such ` +
            'records instead of failing, set errors.tolerance=all and errors.deadletterqueue.topic.name.',
          { cause },
        ),
      );
      return;
    }
    this.#pending += 1;
    void this.#write(deadLetters, record, { connector, stage, component, cause }).then((written) => {
      this.#pending -= 1;
      if (written) ticket?.release();
    });
  }

  async #write(queue: DeadLetterQueue, record: SourceRecord, failure: Failure): Promise<boolean> {
    const { metrics, connector, logger, signal } = this.#parts;
    const backoff = new Backoff(this.#parts.backoff);
    while (!signal.aborted) {
      try {
        await queue.write(record, failure);
        metrics.deadLetters.inc({ connector, stage: failure.stage, reason: failure.cause.code });
        logger.warn(
          {
            position: positionOf(record),
            stage: failure.stage,
            component: failure.component,
            err: failure.cause,
          },
          'record dead-lettered',
        );
        return true;
      } catch (error) {
        const cause = asBridgeError(error);
        if (cause.disposition === 'fatal') {
          this.#parts.onFatal(cause);
          return false;
        }
        logger.warn({ err: cause }, 'dead-letter write failed, retrying');
        await sleep(backoff.next(), signal);
      }
    }
    return false;
  }
}

function positionOf(record: SourceRecord): string {
  return `${record.position.topic}/${record.position.partition}@${record.position.offset}`;
}
