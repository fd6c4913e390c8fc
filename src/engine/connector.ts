/**
 * The connector runner: one source, a transform chain, one or more sinks and an error policy, with Kafka Connect's
 * states. It starts the sinks and the source, commits checkpoints, pauses the source when the in-flight budget is
 * full, and on stop drains what is in flight before the last commit.
 * @module
 */
import type { Logger } from 'pino';
import { Backoff, type BackoffOptions, sleep, withDeadline } from './backoff.ts';
import { type BudgetLimits, InFlightBudget } from './budget.ts';
import { Committer, type CommitOptions } from './committer.ts';
import type { DeadLetterQueue } from './dead-letter.ts';
import type { Decoded } from './decode.ts';
import { asBridgeError, type BridgeError } from './errors.ts';
import type { EngineMetrics } from './metrics.ts';
import { type ErrorTolerance, Pipeline } from './pipeline.ts';
import type { SourceRecord, TopicPartition } from './record.ts';
import type { Sink } from './sink.ts';
import type { Source, SourceContext } from './source.ts';
import { CheckpointTracker } from './tracker.ts';
import type { NamedTransform } from './transform.ts';
import { OffsetsWatch, type PartitionLag } from './offsets-watch.ts';
import { connectorStatus, type ConnectorState, type ConnectorStatus } from './status.ts';

/** Everything a connector is made of, already built from its configuration. */
export interface ConnectorParts {
  readonly name: string;
  readonly source: Source;
  readonly decode: (record: SourceRecord) => Decoded;
  readonly transforms: readonly NamedTransform[];
  readonly sinks: readonly Sink[];
  readonly deadLetters: DeadLetterQueue | undefined;
  readonly tolerance: ErrorTolerance;
  readonly budget: BudgetLimits;
  readonly commit: CommitOptions;
  /** How long `stop` waits for in-flight records to settle before the last commit, ms. */
  readonly drainTimeoutMs: number;
  readonly backoff?: BackoffOptions;
  /** How often committed and end offsets are read for lag, ms. Default 30000. */
  readonly offsetsRefreshMs?: number;
  readonly metrics: EngineMetrics;
  readonly logger: Logger;
}

/** Runs one connector. */
/**
 * After the drain, how long the last commit, leaving the group and closing the sinks get in all, ms: a broker or
 * sink that does not answer must not hold the process past `drain.timeout.ms` and this (DESIGN §4: shutdown).
 */
export const STOP_GRACE_MS = 4000;

/** How a stop went: what the worker reports when it exits. */
export interface StopReport {
  /** The source had started (joined its group) before the stop. */
  readonly started: boolean;
  /** Every record read was settled within the drain timeout. */
  readonly drained: boolean;
  /** Records read and not settled when the drain timed out (they are not committed: read again on restart). */
  readonly undelivered: number;
  readonly drainTimeoutMs: number;
  /** Steps cut short after the drain, e.g. `leave the group (source stop)`. */
  readonly cutShort: readonly string[];
}

export class Connector implements SourceContext {
  readonly #parts: ConnectorParts;
  readonly #abort = new AbortController();
  readonly #budget: InFlightBudget;
  readonly #tracker: CheckpointTracker;
  readonly #pipeline: Pipeline;
  readonly #committer: Committer;
  readonly #offsets: OffsetsWatch;
  #state: ConnectorState = 'UNASSIGNED';
  #failure: BridgeError | undefined;
  #draining = false;
  #started = false;
  #stopped: Promise<StopReport> | undefined;
  /** True while `ready` waits for the budget to drain (not for an operator pause). */
  #waitingForBudget = false;
  #paused = false; // logbridge_source_paused: the source waited in `ready` and has read nothing since
  #resumed: PromiseWithResolvers<void> | undefined;
  /** Stops sampling this connector for the metrics, after counting what it has not yet counted. */
  readonly #unobserve: () => void;

  constructor(parts: ConnectorParts) {
    this.#parts = parts;
    const { metrics, name: connector } = parts;
    this.#budget = new InFlightBudget(parts.budget);
    // Settled records count until committed: commit (within the per-partition pacing) once a quarter of the records
    // budget is settled, so that under load the budget is freed long before it fills.
    const commitAfter = Math.max(1, Math.floor(parts.budget.maxRecords / 4));
    this.#tracker = new CheckpointTracker(this.#budget, (record) => {
      this.#pipeline.settled(record);
      metrics.endToEndLatency.observe({ connector }, Math.max(0, Date.now() - record.timestampMs) / 1000);
      if (this.#budget.records - this.#budget.unsettled >= commitAfter) this.#committer.soon();
    });
    this.#pipeline = new Pipeline({
      ...parts,
      connector,
      tracker: this.#tracker,
      signal: this.#abort.signal,
      onFatal: (cause) => {
        void this.#fail(cause);
      },
      waitingForBudget: () =>
        this.#waitingForBudget && !this.#draining && this.#state === 'RUNNING' && !this.#committer.failing,
    });
    this.#committer = new Committer(this.#tracker, parts.source, parts.commit, parts.logger);
    this.#offsets = new OffsetsWatch(parts.source, connector, metrics, parts.logger);
    const removeTally = metrics.addTally(() => {
      this.#pipeline.countReceived();
    });
    const removeSampler = metrics.addSampler(() => {
      metrics.inFlightRecords.set({ connector }, this.#budget.records);
      metrics.inFlightBytes.set({ connector }, this.#budget.bytes);
      metrics.sourcePaused.set({ connector }, this.#paused ? 1 : 0);
    });
    this.#unobserve = () => {
      removeSampler();
      this.#pipeline.countReceived();
      removeTally();
    };
    // The committed offset gauge is set with the end offset it is compared to (OffsetsWatch), not here.
    this.#committer.onCommitted(() => {
      metrics.commits.inc({ connector, result: 'ok' });
    });
  }

  get name(): string {
    return this.#parts.name;
  }

  get state(): ConnectorState {
    return this.#state;
  }

  /**
   * Connects the sinks, then starts the source and the commit timer; transient failures are retried with backoff.
   * Resolves once RUNNING, or FAILED (a fatal error: the status says what to fix), or stopped meanwhile.
   */
  async start(): Promise<void> {
    const { logger, sinks, source } = this.#parts;
    for (const sink of sinks) await this.#retry(`connect sink ${sink.id}`, (signal) => sink.connect(signal));
    await this.#retry('start the source', () => source.start(this));
    if (this.#abort.signal.aborted) return;
    this.#started = true;
    this.#committer.start();
    this.#offsets.start(this.#parts.offsetsRefreshMs ?? 30_000);
    this.#setState(this.#resumed === undefined ? 'RUNNING' : 'PAUSED', 'started');
    logger.debug({ sinks: this.#parts.sinks.map((s) => s.id) }, 'connector running');
  }

  /**
   * Operator pause: the source stops fetching; what is in flight still settles and is committed. Before `start`
   * completes, the connector starts PAUSED.
   */
  pause(): void {
    if (this.#state === 'FAILED' || this.#state === 'STOPPED' || this.#resumed !== undefined) return;
    this.#resumed = Promise.withResolvers();
    if (this.#state === 'RUNNING') this.#setState('PAUSED', 'paused by operator');
  }

  /** Resumes after `pause`. */
  resume(): void {
    if (this.#resumed === undefined) return;
    this.#resumed.resolve();
    this.#resumed = undefined;
    if (this.#state === 'PAUSED') this.#setState('RUNNING', 'resumed by operator');
  }

  /**
   * Graceful stop: stop fetching, flush batches, wait up to the drain timeout for in-flight records to settle,
   * commit, leave the group and close the sinks, these last three within {@link STOP_GRACE_MS}. Records still in
   * flight after the timeout are not committed. Every caller (a delete, then the worker's shutdown) waits for the
   * same stop.
   */
  stop(): Promise<StopReport> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<StopReport> {
    const { logger, drainTimeoutMs, sinks, source, deadLetters } = this.#parts;
    const started = this.#started;
    this.#draining = true;
    this.#resumed?.resolve();
    this.#pipeline.flush();
    const drained = this.#state === 'STOPPED' || (await this.#drain(drainTimeoutMs));
    const undelivered = drained ? 0 : this.#budget.unsettled;
    this.#committer.stop();
    this.#offsets.stop();
    const deadline = Date.now() + STOP_GRACE_MS;
    const cutShort: string[] = [];
    const step = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      const done = await withDeadline(
        work().catch((error: unknown) => {
          logger.warn({ err: error }, `${what} failed`);
        }),
        deadline,
      );
      if (!done) cutShort.push(what);
    };
    await step('the last commit', () => this.#committer.commit());
    logger.info({ drained, inFlight: this.#budget.records }, 'connector drained');
    await step('leaving the group (source stop)', () => source.stop());
    this.#abort.abort();
    await step('closing the sinks', () => Promise.all(sinks.map((sink) => sink.close(0))));
    await step('closing the dead-letter queue', () => deadLetters?.close() ?? Promise.resolve());
    if (cutShort.length > 0) {
      logger.warn(
        { steps: cutShort, graceMs: STOP_GRACE_MS },
        'stop steps cut short: their peer did not answer',
      );
    }
    if (this.#state !== 'FAILED') {
      this.#setState('STOPPED', drained ? 'stopped' : 'stopped before drain finished');
    }
    this.#unobserve();
    return { started, drained, undelivered, drainTimeoutMs, cutShort };
  }

  /** A status snapshot. */
  status(): ConnectorStatus {
    return connectorStatus({
      name: this.#parts.name,
      state: this.#state,
      failure: this.#failure,
      budget: this.#budget,
      partitions: this.#tracker.snapshot(),
      offsets: this.#offsets.latest,
      offsetsReadAtMs: this.#offsets.readAtMs,
      drivers: this.#pipeline.drivers,
      source: this.#parts.source,
    });
  }

  /**
   * Reads committed and end offsets now, falling back to the last reading. Status requests start one without
   * waiting for it: status answers from the last reading.
   */
  async refreshOffsets(): Promise<readonly PartitionLag[]> {
    return this.#offsets.refresh();
  }

  // SourceContext

  accept(record: SourceRecord): void {
    this.#paused = false;
    this.#pipeline.accept(record);
  }

  isFull(): boolean {
    return this.#budget.full || this.#state !== 'RUNNING' || this.#draining;
  }

  async ready(signal?: AbortSignal): Promise<void> {
    this.#paused = true;
    this.#pipeline.flush();
    if (this.#resumed !== undefined) await untilAborted(this.#resumed.promise, signal);
    if (signal?.aborted === true) return;
    // Settled records count until committed: commit as soon as allowed (not at the next tick) to free the budget.
    const committing = setInterval(() => void this.#committer.commit(), this.#parts.commit.minGapMs);
    void this.#committer.commit();
    this.#waitingForBudget = true;
    try {
      await this.#budget.belowLowWater(signal);
    } finally {
      this.#waitingForBudget = false;
      clearInterval(committing);
    }
    if (!isAborted(signal)) this.#paused = false; // cut short: the source asks again, or reads on (accept)
  }

  assigned(partitions: readonly TopicPartition[]): void {
    // Kept partitions too: another member may have owned them meanwhile, what was tracked of them is stale.
    const dropped = this.#forget(this.#tracker.partitions());
    this.#parts.metrics.rebalances.inc({ connector: this.#parts.name });
    this.#parts.logger.info({ assigned: partitions.length, restarted: dropped }, 'partitions assigned');
  }

  revoked(partitions: readonly TopicPartition[]): void {
    const dropped = this.#forget(partitions);
    this.#parts.logger.info({ revoked: partitions.length, dropped }, 'partitions revoked');
  }

  caughtUp(partition: TopicPartition, caughtUp: boolean): void {
    this.#pipeline.caughtUp(partition, caughtUp);
  }

  async revoking(): Promise<void> {
    await this.#committer.commit();
  }

  failed(error: BridgeError): void {
    void this.#fail(error);
  }

  offsetReset(partition: TopicPartition, policy: 'earliest' | 'latest'): void {
    this.#parts.metrics.offsetAnomalies.inc({ connector: this.#parts.name, kind: 'reset' });
    this.#parts.logger.warn(
      { topic: partition.topic, partition: partition.partition, policy },
      `committed offset out of range (expired by retention?): the partition restarts at the ${policy} offset`,
    );
  }

  /** Drops what is tracked of these partitions (never committed): @returns how many of them were tracked. */
  #forget(partitions: readonly TopicPartition[]): number {
    const before = this.#tracker.partitions().length;
    this.#tracker.revoke(partitions);
    this.#pipeline.revoke(partitions);
    return before - this.#tracker.partitions().length;
  }

  /** Runs `step` until it succeeds, the connector stops, or it fails fatally (then the connector FAILS). */
  async #retry(what: string, step: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const backoff = new Backoff(this.#parts.backoff);
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await step(signal);
        return;
      } catch (error) {
        const cause = asBridgeError(error);
        if (cause.disposition === 'fatal') {
          await this.#fail(cause);
          return;
        }
        const delayMs = backoff.next();
        this.#parts.logger.warn({ err: cause, delayMs }, `could not ${what}, retrying`);
        await sleep(delayMs, signal);
      }
    }
  }

  /**
   * Waits until every record has settled except those held in partial lines: those are not delivered, so the last
   * commit stays below them and the next start reads them again.
   */
  async #drain(timeoutMs: number): Promise<boolean> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const floor = (): number => this.#pipeline.held;
    await this.#budget.unsettledDownTo(floor, AbortSignal.any([timeout, this.#abort.signal]));
    return this.#budget.unsettled <= floor();
  }

  async #fail(cause: BridgeError): Promise<void> {
    if (this.#state === 'FAILED') return;
    this.#failure = cause;
    this.#setState('FAILED', cause.message);
    this.#parts.logger.error({ err: cause }, 'connector failed: it stays FAILED until restarted');
    this.#committer.stop();
    this.#offsets.stop();
    await this.#committer.commit();
    this.#abort.abort();
    await this.#parts.source.stop().catch(() => undefined);
    await Promise.all(this.#parts.sinks.map((sink) => sink.close(0).catch(() => undefined)));
  }

  #setState(state: ConnectorState, reason: string): void {
    if (this.#state === state) return;
    const from = this.#state;
    this.#state = state;
    this.#parts.logger.info({ from, to: state, reason }, 'connector state changed');
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** `promise`, or undefined once `signal` aborts (whichever comes first). */
async function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  if (signal.aborted) return;
  const { promise: aborted, resolve } = Promise.withResolvers<undefined>();
  const onAbort = (): void => {
    resolve(undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
