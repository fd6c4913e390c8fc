/**
 * The pipeline of one connector: decode a record, run the transform chain, fan the events out to every sink driver,
 * and hold the record's ticket until each delivery ended (delivered, dropped on purpose, or dead-lettered).
 * @module
 */
import type { Logger } from 'pino';
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import type { DeadLetterQueue, FailureStage } from './dead-letter.ts';
import type { Decoded } from './decode.ts';
import { asBridgeError, type BridgeError, InvalidUtf8Error, UntoleratedError } from './errors.ts';
import { hasCutEdges, repairCutEdges } from './utf8-boundary.ts';
import type { LogEvent } from './event.ts';
import type { EngineMetrics } from './metrics.ts';
import { partitionKey, type SourceRecord, type TopicPartition } from './record.ts';
import { type ChainResult, TransformChain } from './chain.ts';
import { SinkDriver } from './sink-driver.ts';
import type { Sink } from './sink.ts';
import type { Ticket } from './tracker.ts';
import type { CheckpointTracker } from './tracker.ts';
import type { NamedTransform } from './transform.ts';

/** `none`: the first record that cannot be delivered fails the connector; `all`: it is dead-lettered. */
export type ErrorTolerance = 'none' | 'all';

/** Everything a pipeline is built from. */
export interface PipelineParts {
  readonly connector: string;
  readonly decode: (record: SourceRecord) => Decoded;
  readonly transforms: readonly NamedTransform[];
  readonly sinks: readonly Sink[];
  readonly deadLetters: DeadLetterQueue | undefined;
  readonly tolerance: ErrorTolerance;
  readonly tracker: CheckpointTracker;
  readonly metrics: EngineMetrics;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  readonly signal: AbortSignal;
  /** The connector must fail: called once per fatal error. */
  readonly onFatal: (cause: BridgeError) => void;
}

/** Record → events → sinks, with settlement. */
export class Pipeline {
  readonly #parts: PipelineParts;
  readonly #drivers: readonly SinkDriver[];
  readonly #chain: TransformChain;
  /** Tickets of records not yet settled (a Map, not a WeakMap: ephemerons are costly for the GC at this rate). */
  readonly #tickets = new Map<SourceRecord, Ticket>();
  /** Records kept by a stateful transform (partial lines): each holds one extra hold on its ticket. */
  readonly #held = new Set<SourceRecord>();
  /** Records whose text ends or starts inside a multi-byte character (see utf8-boundary.ts). */
  readonly #cut = new Set<SourceRecord>();
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(parts: PipelineParts) {
    this.#parts = parts;
    const options = { signal: parts.signal, ...(parts.backoff ? { backoff: parts.backoff } : {}) };
    this.#drivers = parts.sinks.map((sink) => new SinkDriver(sink, this.#listenerFor(sink.id), options));
    this.#chain = new TransformChain(parts.transforms, {
      held: (event) => {
        this.#hold(event);
      },
      dropped: (event, transform) => {
        this.#dropped('TRANSFORMATION', transform);
        this.#releaseHeld(event);
      },
    });
    if (this.#chain.stateful) {
      this.#flushTimer = setInterval(() => {
        this.#flushChain(Date.now());
      }, 1000);
      this.#flushTimer.unref();
      parts.signal.addEventListener(
        'abort',
        () => {
          clearInterval(this.#flushTimer);
        },
        { once: true },
      );
    }
  }

  get drivers(): readonly SinkDriver[] {
    return this.#drivers;
  }

  /** Records currently held by stateful transforms (they cannot settle before more records arrive). */
  get held(): number {
    return this.#held.size;
  }

  /** Takes one record from the source. */
  accept(record: SourceRecord): void {
    const { tracker, metrics, connector } = this.#parts;
    const ticket = tracker.track(record);
    if (ticket === undefined) {
      metrics.recordsSkipped.inc({ connector, reason: 'refetched' });
      return;
    }
    metrics.recordsReceived.inc({ connector });
    this.#tickets.set(record, ticket);
    let decoded: Decoded;
    try {
      decoded = this.#parts.decode(record);
    } catch (error) {
      this.#deadLetter(record, 'VALUE_CONVERTER', 'decode', asBridgeError(error));
      ticket.release();
      return;
    }
    if (decoded === 'empty') {
      this.#dropped('VALUE_CONVERTER', 'empty');
    } else {
      if (typeof decoded.body === 'string' && hasCutEdges(decoded.body)) this.#cut.add(record);
      this.#handle(this.#chain.run(decoded), record);
    }
    ticket.release();
  }

  /** A record settled: forget its ticket. */
  settled(record: SourceRecord): void {
    this.#tickets.delete(record);
    this.#cut.delete(record);
  }

  /** Closes every open batch now. */
  flush(): void {
    for (const driver of this.#drivers) driver.flush();
  }

  /** Forgets revoked partitions' transform state and lets their held records go (never committed by us). */
  revoke(partitions: readonly TopicPartition[]): void {
    this.#chain.revoke(partitions);
    const revoked = new Set(partitions.map(partitionKey));
    for (const record of this.#held) {
      if (!revoked.has(partitionKey(record.position))) continue;
      this.#held.delete(record);
      this.#tickets.get(record)?.release();
    }
  }

  #flushChain(nowMs: number): void {
    for (const result of this.#chain.flush(nowMs)) this.#handle(result, undefined);
  }

  #handle(result: ChainResult, input: SourceRecord | undefined): void {
    if (result.kind === 'events') {
      this.#dispatch(this.#cut.size === 0 ? result.events : this.#joinCuts(result.events));
      return;
    }
    // The whole record is dead-lettered (with the records of a partial line it completed): none of its events
    // leaves, so none is delivered twice when the dead letters are replayed.
    const records = new Set(recordsOf(result.event));
    if (input !== undefined) records.add(input);
    for (const record of records) this.#deadLetter(record, 'TRANSFORMATION', result.transform, result.cause);
    this.#releaseHeld(result.event);
  }

  /** Events carrying cut characters: joined fragments make them whole; a cut never completed is dead-lettered. */
  #joinCuts(events: readonly LogEvent[]): LogEvent[] {
    const out: LogEvent[] = [];
    for (const event of events) {
      if (!recordsOf(event).some((r) => this.#cut.has(r))) {
        out.push(event);
        continue;
      }
      const body = repairCutEdges(event.body);
      if (body !== undefined) {
        out.push(body === event.body ? event : { ...event, body });
        continue;
      }
      const cause = new InvalidUtf8Error(
        'record value ends or starts inside a multi-byte character no other record completes',
      );
      for (const record of recordsOf(event)) this.#deadLetter(record, 'VALUE_CONVERTER', 'decode', cause);
      this.#releaseHeld(event);
    }
    return out;
  }

  #hold(event: LogEvent): void {
    for (const record of recordsOf(event)) {
      if (this.#held.has(record)) continue;
      this.#held.add(record);
      this.#tickets.get(record)?.retain();
    }
  }

  #releaseHeld(event: LogEvent): void {
    for (const record of recordsOf(event)) {
      if (this.#held.delete(record)) this.#tickets.get(record)?.release();
    }
  }

  #dispatch(events: readonly LogEvent[]): void {
    const fanOut = this.#drivers.length;
    for (const event of events)
      for (const record of recordsOf(event)) this.#tickets.get(record)?.retain(fanOut);
    for (const event of events) {
      for (const driver of this.#drivers) driver.push(event);
      this.#releaseHeld(event);
    }
  }

  #listenerFor(sink: string): ConstructorParameters<typeof SinkDriver>[1] {
    const { metrics, connector, logger, onFatal } = this.#parts;
    return {
      delivered: (events) => {
        metrics.eventsSent.inc({ connector, sink, outcome: 'delivered' }, events.length);
        for (const event of events)
          for (const record of recordsOf(event)) this.#tickets.get(record)?.release();
      },
      rejected: (event, cause) => {
        metrics.eventsSent.inc({ connector, sink, outcome: 'rejected' });
        for (const record of recordsOf(event)) {
          this.#deadLetter(record, 'TASK_PUT', sink, cause);
          this.#tickets.get(record)?.release();
        }
      },
      fatal: onFatal,
      retrying: (cause, delayMs) => {
        metrics.sinkRetries.inc({ connector, sink, code: cause.code });
        logger.warn({ sink, err: cause, delayMs }, 'sink send failed, retrying');
      },
    };
  }

  #dropped(stage: FailureStage, reason: string): void {
    this.#parts.metrics.eventsDropped.inc({ connector: this.#parts.connector, stage, reason });
  }

  /**
   * Dead-letters a record, holding its ticket until the write is acknowledged. When the record cannot be
   * dead-lettered the hold is never released: the connector fails and no checkpoint passes this record.
   */
  #deadLetter(record: SourceRecord, stage: FailureStage, component: string, cause: BridgeError): void {
    const { deadLetters, tolerance, connector, onFatal } = this.#parts;
    const ticket = this.#tickets.get(record);
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
    void this.#writeDeadLetter(deadLetters, record, { connector, stage, component, cause }).then(
      (written) => {
        if (written) ticket?.release();
      },
    );
  }

  async #writeDeadLetter(
    queue: DeadLetterQueue,
    record: SourceRecord,
    failure: Parameters<DeadLetterQueue['write']>[1],
  ): Promise<boolean> {
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

function recordsOf(event: LogEvent): readonly SourceRecord[] {
  return event.joined === undefined ? [event.record] : [event.record, ...event.joined];
}

function positionOf(record: SourceRecord): string {
  return `${record.position.topic}/${record.position.partition}@${record.position.offset}`;
}
