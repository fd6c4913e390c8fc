/**
 * The pipeline of one connector: decode a record, run the transform chain, fan the events out to every sink driver,
 * and keep the record's ticket held until every event carrying its content reached an outcome (delivered to every
 * sink, dropped on purpose, dead-lettered) — see holds.ts.
 * @module
 */
import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.ts';
import type { DeadLetterQueue, FailureStage } from './dead-letter.ts';
import type { Decoded } from './decode.ts';
import { asBridgeError, type BridgeError, InvalidUtf8Error } from './errors.ts';
import { hasCutEdges, repairCutEdges } from './utf8-boundary.ts';
import { carrierOf, type LogEvent, recordsOf } from './event.ts';
import type { EngineMetrics } from './metrics.ts';
import { partitionKey, type SourceRecord, type TopicPartition } from './record.ts';
import { type ChainFailure, type ChainRun, TransformChain } from './chain.ts';
import { DeadLetterWriter } from './dead-letter-writer.ts';
import { Holds } from './holds.ts';
import { ReadingClocks } from './reading-clock.ts';
import { SinkDriver } from './sink-driver.ts';
import type { Sink } from './sink.ts';
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
  /**
   * True while the source waits for the budget to drain (not for an operator pause, a drain or failing commits):
   * when nothing but kept events is in flight then, only letting them go can free the budget.
   */
  readonly waitingForBudget: () => boolean;
}

/** How often stateful transforms are asked for events whose time is up, ms. */
const FLUSH_EVERY_MS = 1000;

/** Record → events → sinks, with settlement. */
export class Pipeline {
  readonly #parts: PipelineParts;
  readonly #drivers: readonly SinkDriver[];
  readonly #chain: TransformChain;
  readonly #holds = new Holds();
  readonly #deadLetters: DeadLetterWriter;
  readonly #clocks = new ReadingClocks();
  /** Deliveries pushed to sinks and not yet ended (one per event and sink). */
  #deliveries = 0;
  /** When the last flush saw reading stalled (nothing in flight but kept events, the budget full). */
  #stallSeenAt: number | undefined;
  #lastFlushAt = Date.now();
  /** Records whose text ends or starts inside a multi-byte character (see utf8-boundary.ts). */
  readonly #cut = new Set<SourceRecord>();
  #flushTimer: NodeJS.Timeout | undefined;
  /** Records received since `recordsReceived` last took the count. */
  #received = 0;

  constructor(parts: PipelineParts) {
    this.#parts = parts;
    const options = { signal: parts.signal, ...(parts.backoff ? { backoff: parts.backoff } : {}) };
    this.#drivers = parts.sinks.map((sink) => new SinkDriver(sink, this.#listenerFor(sink.id), options));
    this.#deadLetters = new DeadLetterWriter(parts, this.#holds);
    this.#chain = new TransformChain(parts.transforms, {
      held: (event) => {
        this.#holds.keep(event);
      },
      dropped: (event, transform) => {
        this.#dropped('TRANSFORMATION', transform);
      },
    });
    if (this.#chain.stateful) {
      this.#flushTimer = setInterval(() => {
        this.#flushChain(Date.now());
      }, FLUSH_EVERY_MS);
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

  /** Distinct records held by stateful transforms (they cannot settle before more records arrive). */
  get held(): number {
    return this.#holds.keptRecords;
  }

  /** Takes one record from the source. */
  accept(record: SourceRecord): void {
    const { tracker, metrics, connector } = this.#parts;
    const ticket = tracker.track(record);
    if (ticket === undefined) {
      metrics.recordsSkipped.inc({ connector, reason: 'refetched' });
      return;
    }
    this.#received += 1;
    this.#holds.open(record, ticket);
    let decoded: Decoded;
    try {
      decoded = this.#parts.decode(record);
    } catch (error) {
      this.#deadLetters.write(record, 'VALUE_CONVERTER', 'decode', asBridgeError(error));
      ticket.release();
      return;
    }
    if (decoded === 'empty') {
      this.#dropped('VALUE_CONVERTER', 'empty');
    } else {
      if (decoded.bodyAsRead !== true && typeof decoded.body === 'string' && hasCutEdges(decoded.body))
        this.#cut.add(record);
      this.#handle(this.#chain.run(decoded), record);
    }
    ticket.release();
  }

  /** Adds the records received since the last call to `recordsReceived` (run when the counter is read). */
  countReceived(): void {
    if (this.#received === 0) return;
    this.#parts.metrics.recordsReceived.inc({ connector: this.#parts.connector }, this.#received);
    this.#received = 0;
  }

  /** A record settled: forget it. */
  settled(record: SourceRecord): void {
    this.#holds.settled(record);
    this.#cut.delete(record);
  }

  /** Closes every open batch now. */
  flush(): void {
    for (const driver of this.#drivers) driver.flush();
  }

  /**
   * Forgets these partitions' transform state and reading clocks, and lets their held records go (never committed
   * by us): revoked, or starting again from their committed offsets.
   */
  revoke(partitions: readonly TopicPartition[]): void {
    if (partitions.length === 0) return;
    const keys = new Set(partitions.map(partitionKey));
    this.#chain.revoke(partitions);
    this.#holds.revoke(keys);
    this.#clocks.forget(keys);
  }

  /** The source reports whether it has handed over every record of `partition` the log held (reading-clock.ts). */
  caughtUp(partition: TopicPartition, caughtUp: boolean): void {
    if (this.#chain.stateful) this.#clocks.caughtUp(partitionKey(partition), caughtUp, Date.now());
  }

  #flushChain(nowMs: number): void {
    // A flush far later than its period means the process was stopped (SIGSTOP, a paused VM) or blocked: that
    // time is nobody's wait for the log.
    const late = nowMs - this.#lastFlushAt - FLUSH_EVERY_MS;
    this.#lastFlushAt = nowMs;
    if (late > FLUSH_EVERY_MS) this.#clocks.skip(late, nowMs);
    const stalled =
      this.#holds.keptEvents > 0 &&
      this.#deliveries === 0 &&
      this.#deadLetters.pending === 0 &&
      this.#parts.waitingForBudget();
    // Seen at two flushes in a row: a stall, not the moment between the last acknowledgement and the next commit.
    if (stalled && this.#stallSeenAt !== undefined) this.#clocks.stalled(true, nowMs);
    else if (!stalled) this.#clocks.stalled(false, nowMs);
    this.#stallSeenAt = stalled ? (this.#stallSeenAt ?? nowMs) : undefined;
    for (const run of this.#chain.flush((key) => this.#clocks.read(key, nowMs))) this.#handle(run, undefined);
  }

  /**
   * Gives every event of a run its outcome, then releases the holds of the kept events that the run's joins took
   * over (only now: every event carrying their content has taken its own holds).
   */
  #handle(run: ChainRun, input: SourceRecord | undefined): void {
    if (run.failure !== undefined) this.#deadLetterRun(run.failure, input);
    else if (run.events.length > 0)
      this.#dispatch(this.#cut.size === 0 ? run.events : this.#joinCuts(run.events));
    if (run.joins !== undefined) for (const join of run.joins) this.#holds.passOn(join);
  }

  /** A transform refused an event: the run's record and every record its unfinished events carry are dead-lettered. */
  #deadLetterRun(failure: ChainFailure, input: SourceRecord | undefined): void {
    const records = new Set<SourceRecord>(input === undefined ? [] : [input]);
    for (const event of failure.unfinished) for (const record of recordsOf(event)) records.add(record);
    for (const record of records)
      this.#deadLetters.write(record, 'TRANSFORMATION', failure.transform, failure.cause);
  }

  /** Events carrying cut characters: joined fragments make them whole; a cut never completed is dead-lettered. */
  #joinCuts(events: readonly LogEvent[]): LogEvent[] {
    const out: LogEvent[] = [];
    for (const event of events) {
      const records = recordsOf(event);
      if (!records.some((r) => this.#cut.has(r))) {
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
      for (const record of records) this.#deadLetters.write(record, 'VALUE_CONVERTER', 'decode', cause);
    }
    return out;
  }

  #dispatch(events: readonly LogEvent[]): void {
    const fanOut = this.#drivers.length;
    for (const event of events) {
      this.#holds.retain(event, fanOut);
      this.#deliveries += fanOut;
      const carrier = carrierOf(event);
      for (const driver of this.#drivers) driver.push(event, carrier);
    }
  }

  #listenerFor(sink: string): ConstructorParameters<typeof SinkDriver>[1] {
    const { metrics, connector, logger, onFatal } = this.#parts;
    return {
      delivered: (events) => {
        metrics.eventsSent.inc({ connector, sink, outcome: 'delivered' }, events.length);
        this.#deliveries -= events.length;
        for (const event of events) this.#holds.release(event);
      },
      rejected: (event, cause) => {
        metrics.eventsSent.inc({ connector, sink, outcome: 'rejected' });
        this.#deliveries -= 1;
        for (const record of recordsOf(event)) this.#deadLetters.write(record, 'TASK_PUT', sink, cause);
        this.#holds.release(event);
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
}
