/**
 * The kafka source: a kafkajs consumer in a group, `eachBatch` with auto-commit and auto-resolve off. Records go
 * to the engine in offset order; offsets are committed only when the engine says they are settled. When the
 * engine's budget is full, `eachBatch` waits (heartbeating) until it drains, then goes on with the same batch.
 * Nothing escapes `eachBatch` except a rebalance, after settled offsets are committed.
 *
 * Every group join is a new generation: the engine drops what it tracked and kafkajs reads each assigned partition
 * again from its committed offset, so nothing of a partition another member owned meanwhile survives (an eviction
 * rejoins on UNKNOWN_MEMBER_ID without REBALANCING). A batch fetched under an older generation is not handed over,
 * and a commit counts only when the coordinator acknowledged it within the generation it was asked in.
 * @module
 */
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { Consumer, ConsumerCommitOffsetsEvent, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import {
  type BridgeError,
  type CommitOffset,
  type PartitionOffsets,
  sleep,
  type Source,
  type SourceContext,
  type SourceHealth,
  type TopicPartition,
} from '../../engine/index.ts';
import type { KafkaSourceConfig } from './config.ts';
import { classifyKafkaError, KafkaTransientError } from './errors.ts';
import { fetchPartitionOffsets } from './offsets.ts';
import { toSourceRecord } from './record.ts';
import type { KafkaSignals } from './signals.ts';

/** How often a wait for room looks again while the connector drains or failed (its ready() resolves at once). */
const NOT_RUNNING_POLL_MS = 100;
/**
 * Records accepted between two turns of the event loop. A fetched batch holds thousands: handed over in one go,
 * they would keep the sinks' answers (HEC responses, MQTT PUBACKs that free a window of often only 20 messages)
 * waiting for the whole batch. A trade measured with bench/e2e.ts (100k records): 256 against 1024 holds peak RSS
 * at 209–214 MiB instead of 266–281, for 6–9 % more CPU per event (fanout: 6 % faster); 1024 costs next to nothing
 * in CPU and keeps little of the RSS gain.
 */
const RECORDS_PER_TURN = 256;

/** Reads topics through a consumer group. */
export class KafkaSource implements Source {
  readonly id = 'kafka';
  readonly #kafka: Kafka;
  readonly #config: KafkaSourceConfig;
  readonly #logger: Logger;
  readonly #consumer: Consumer;
  #context: SourceContext | undefined;
  #assignment: TopicPartition[] = [];
  /** `topic:partition` of the current assignment. */
  #owned = new Set<string>();
  /** Group joins so far: the generation batches and commits belong to. */
  #generation = 0;
  /** The commit waiting for the coordinator's acknowledgement (kafkajs' COMMIT_OFFSETS event). */
  #awaiting: { readonly offsets: readonly CommitOffset[]; acknowledged: boolean } | undefined;
  /** `eachBatch` is waiting for room in the budget. */
  #waiting = false;
  #stopped = false;
  /** Aborted by `stop`: ends a wait for room inside `eachBatch`, which kafkajs' disconnect waits for. */
  readonly #stopping = new AbortController();
  /** Partitions read since the last wait for room ended, and the timer that reports the others caught up. */
  readonly #readSinceResume = new Set<string>();
  #resumeGrace: NodeJS.Timeout | undefined;

  readonly #tlsCheck: (() => Promise<void>) | undefined;
  /** The last connection or start failure since the consumer last fetched: what status shows while Kafka is down. */
  #lastError: BridgeError | undefined;

  constructor(
    kafka: Kafka,
    config: KafkaSourceConfig,
    logger: Logger,
    options: { readonly signals?: KafkaSignals; readonly tlsCheck?: () => Promise<void> } = {},
  ) {
    this.#kafka = kafka;
    this.#config = config;
    this.#logger = logger;
    this.#tlsCheck = options.tlsCheck;
    options.signals?.onOffsetReset((tp) => this.#context?.offsetReset(tp, config.autoOffsetReset));
    options.signals?.onConnectionFailed((detail) => {
      this.#lastError = new KafkaTransientError(detail);
    });
    options.signals?.onEvicted(() => {
      this.#generationEnding();
    });
    this.#consumer = kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: config.heartbeatIntervalMs,
      rebalanceTimeout: config.rebalanceTimeoutMs,
      metadataMaxAge: config.metadataMaxAgeMs,
      maxBytesPerPartition: config.maxBytesPerPartition,
      maxBytes: config.maxBytes,
      maxWaitTimeInMs: config.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  /** Connects, joins the group and starts consuming; may be called again after it threw. */
  async start(context: SourceContext): Promise<void> {
    if (this.#context === undefined) this.#watchGroup(context);
    this.#context = context;
    await this.#tlsCheck?.();
    try {
      await this.#consumer.connect();
      await this.#consumer.subscribe({
        topics: [...this.#config.topics],
        fromBeginning: this.#config.autoOffsetReset === 'earliest',
      });
    } catch (error) {
      this.#lastError = classifyKafkaError(error, `consume ${this.#config.topics.join(',')}`);
      throw this.#lastError;
    }
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
  }

  /**
   * Commits for the current generation's partitions only, and resolves only once the coordinator acknowledged it in
   * that generation. kafkajs resolves `commitOffsets` without sending anything while its runner is not running (a
   * restart, a rejoin), and retries a failed commit under the next generation, for partitions that may be another
   * member's by then: such a commit is not counted (it is refused here and offered again).
   */
  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    // The broker would accept a commit for any partition from any member of the generation: never send foreign ones.
    const foreign = offsets.filter((o) => !this.#owned.has(`${o.topic}:${o.partition}`));
    if (foreign.length > 0) {
      throw new KafkaTransientError(
        `commit offsets: ${foreign.length} partition(s) are not assigned to this member in the current generation; ` +
          'the commit is retried',
      );
    }
    const generation = this.#generation;
    const awaiting = { offsets, acknowledged: false };
    this.#awaiting = awaiting;
    try {
      await this.#consumer.commitOffsets(
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })),
      );
    } catch (error) {
      throw classifyKafkaError(error, 'commit offsets');
    } finally {
      if (this.#awaiting === awaiting) this.#awaiting = undefined;
    }
    if (this.#generation !== generation) {
      throw new KafkaTransientError(
        'commit offsets: the consumer group rebalanced during the commit, which is not counted and is retried',
      );
    }
    if (!awaiting.acknowledged) {
      throw new KafkaTransientError(
        'commit offsets: the consumer is (re)joining its group and sent nothing; the commit is retried',
      );
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#resumeGrace);
    this.#stopping.abort();
    await this.#consumer.disconnect();
  }

  /** Unhealthy from a connection failure until the consumer fetches again. */
  health(): SourceHealth {
    return this.#lastError === undefined ? { healthy: true } : { healthy: false, lastError: this.#lastError };
  }

  async offsets(): Promise<PartitionOffsets[]> {
    return fetchPartitionOffsets(this.#kafka, this.#config.groupId, this.#config.topics);
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const context = this.#context;
    if (context === undefined) return;
    const generation = this.#generation;
    const tp = { topic: batch.topic, partition: batch.partition };
    this.#readSinceResume.add(`${tp.topic}:${tp.partition}`);
    context.caughtUp(tp, false);
    let accepted = 0;
    for (const message of batch.messages) {
      if (accepted > 0 && accepted % RECORDS_PER_TURN === 0) await setImmediatePromise();
      // A batch of an older generation: its partition starts again from the committed offset.
      if (!payload.isRunning() || payload.isStale() || generation !== this.#generation) break;
      if (context.isFull() && !(await this.#waitForRoom(payload, context, generation))) break;
      context.accept(toSourceRecord(batch.topic, batch.partition, message));
      payload.resolveOffset(message.offset);
      accepted += 1;
    }
    if (accepted === batch.messages.length && batch.offsetLag() === '0') context.caughtUp(tp, true);
    await this.#heartbeat(payload, context);
  }

  /** Heartbeats; when a rebalance started, commits what is settled while the partitions are ours, then rethrows. */
  async #heartbeat(payload: EachBatchPayload, context: SourceContext): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (error) {
      await context.revoking().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Backpressure: waits inside `eachBatch` while the budget is full, heartbeating at the heartbeat interval so the
   * group keeps this member and a rebalance is noticed (it throws out of `eachBatch`, as at its end). Waiting here
   * instead of pausing the partitions goes on with the rest of the fetched batch (no refetch) as soon as there is
   * room: with every partition paused, kafkajs sleeps `fetch.max.wait.ms` before it looks again.
   * @returns false when the consumer stops, the batch is stale or the generation ended: the rest of the batch stays
   *   unresolved.
   */
  async #waitForRoom(
    payload: EachBatchPayload,
    context: SourceContext,
    generation: number,
  ): Promise<boolean> {
    this.#waiting = true;
    clearTimeout(this.#resumeGrace);
    // Records may arrive while nothing is fetched: no partition is caught up until it is read again.
    for (const tp of this.#assignment) context.caughtUp(tp, false);
    this.#logger.debug('in-flight budget full or connector paused: waiting');
    try {
      while (context.isFull()) {
        if (!this.#current(payload, generation)) return false;
        const signal = AbortSignal.any([
          this.#stopping.signal,
          AbortSignal.timeout(this.#config.heartbeatIntervalMs),
        ]);
        await context.ready(signal);
        if (context.isFull() && !signal.aborted) await sleep(NOT_RUNNING_POLL_MS, signal);
        await this.#heartbeat(payload, context);
      }
    } finally {
      this.#waiting = false;
    }
    if (!this.#current(payload, generation)) return false;
    this.#afterWait(context, { topic: payload.batch.topic, partition: payload.batch.partition });
    return true;
  }

  #current(payload: EachBatchPayload, generation: number): boolean {
    return payload.isRunning() && !payload.isStale() && !this.#stopped && generation === this.#generation;
  }

  /**
   * kafkajs hands over no batch for a partition with nothing new, so a partition still unread one fetch wait after
   * a wait for room ended (plus a second for the batches ahead of it) had nothing waiting: it is caught up. The
   * partition whose batch goes on says so itself at the end of the batch.
   */
  #afterWait(context: SourceContext, reading: TopicPartition): void {
    this.#readSinceResume.clear();
    this.#readSinceResume.add(`${reading.topic}:${reading.partition}`);
    clearTimeout(this.#resumeGrace);
    const generation = this.#generation;
    this.#resumeGrace = setTimeout(() => {
      if (this.#waiting || this.#stopped || generation !== this.#generation) return;
      for (const tp of this.#assignment)
        if (!this.#readSinceResume.has(`${tp.topic}:${tp.partition}`)) context.caughtUp(tp, true);
    }, this.#config.maxWaitTimeMs + 1000);
    this.#resumeGrace.unref();
  }

  #watchGroup(context: SourceContext): void {
    const { GROUP_JOIN, REBALANCING, CRASH, COMMIT_OFFSETS, FETCH_START } = this.#consumer.events;
    this.#consumer.on(FETCH_START, () => {
      this.#lastError = undefined;
    });
    this.#consumer.on(REBALANCING, () => {
      this.#generationEnding();
      void context.revoking().catch(() => undefined);
    });
    this.#consumer.on(COMMIT_OFFSETS, (event) => {
      this.#acknowledged(event.payload);
    });
    this.#consumer.on(GROUP_JOIN, (event) => {
      const assignment = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      this.#generation += 1;
      this.#assignment = assignment;
      this.#owned = new Set(assignment.map((tp) => `${tp.topic}:${tp.partition}`));
      clearTimeout(this.#resumeGrace);
      context.assigned(assignment);
    });
    this.#consumer.on(CRASH, (event) => {
      this.#generationEnding();
      const cause = classifyKafkaError(event.payload.error, 'consume');
      this.#lastError = cause;
      if (event.payload.restart && cause.disposition !== 'fatal') {
        this.#logger.warn({ err: cause }, 'consumer crashed; kafkajs restarts it');
        return;
      }
      context.failed(cause);
    });
  }

  /**
   * The generation is over (rebalance, eviction, crash): nothing is read until the next join, so no partition is
   * caught up; partial lines wait instead of ageing before their partitions start again from the committed offsets.
   */
  #generationEnding(): void {
    clearTimeout(this.#resumeGrace);
    for (const tp of this.#assignment) this.#context?.caughtUp(tp, false);
  }

  /** kafkajs reports a commit the coordinator acknowledged: it answers the commit under way if it covers it. */
  #acknowledged(payload: ConsumerCommitOffsetsEvent['payload']): void {
    const awaiting = this.#awaiting;
    if (awaiting === undefined) return;
    const sent = new Map<string, string>();
    for (const { topic, partitions } of payload.topics) {
      // The types say string; kafkajs passes its own Long here: String() reads both.
      const entries: readonly { partition: number; offset: unknown }[] = partitions;
      for (const { partition, offset } of entries) sent.set(`${topic}:${partition}`, String(offset));
    }
    awaiting.acknowledged = awaiting.offsets.every(
      (o) => sent.get(`${o.topic}:${o.partition}`) === o.offset.toString(),
    );
  }
}
