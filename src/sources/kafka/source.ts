/**
 * The kafka source: a kafkajs consumer in a group, `eachBatch` with auto-commit and auto-resolve off. Records go
 * to the engine in offset order; offsets are committed only when the engine says they are settled. When the
 * engine's budget is full the assigned partitions are paused (kafkajs keeps heartbeating while nothing is fetched)
 * and resumed once it drains. Nothing escapes `eachBatch` except a rebalance, after settled offsets are committed.
 * @module
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  BridgeError,
  CommitOffset,
  PartitionOffsets,
  Source,
  SourceContext,
  SourceHealth,
  TopicPartition,
} from '../../engine/index.ts';
import type { KafkaSourceConfig } from './config.ts';
import { classifyKafkaError, KafkaTransientError } from './errors.ts';
import { fetchPartitionOffsets } from './offsets.ts';
import { toSourceRecord } from './record.ts';
import type { KafkaSignals } from './signals.ts';

/** Reads topics through a consumer group. */
export class KafkaSource implements Source {
  readonly id = 'kafka';
  readonly #kafka: Kafka;
  readonly #config: KafkaSourceConfig;
  readonly #logger: Logger;
  readonly #consumer: Consumer;
  #context: SourceContext | undefined;
  #assignment: TopicPartition[] = [];
  #pausedForBudget = false;
  #stopped = false;
  /**
   * True while kafkajs' runner is fetching. After a crash-restart kafkajs resolves `commitOffsets` without sending
   * anything until the runner runs again, so commits are refused (and retried) until the next FETCH_START.
   */
  #fetching = false;

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

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const owned = new Set(this.#assignment.map((tp) => `${tp.topic}:${tp.partition}`));
    // Never commit a partition we no longer own: the broker would accept it from any member of the generation.
    const mine = offsets.filter((o) => owned.has(`${o.topic}:${o.partition}`));
    if (mine.length === 0) return;
    if (!this.#fetching) {
      throw new KafkaTransientError(
        'commit offsets: the consumer is (re)joining its group; the commit is retried',
      );
    }
    try {
      await this.#consumer.commitOffsets(
        mine.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })),
      );
    } catch (error) {
      throw classifyKafkaError(error, 'commit offsets');
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
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
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      if (context.isFull()) {
        this.#pauseUntilReady(context);
        break;
      }
      context.accept(toSourceRecord(batch.topic, batch.partition, message));
      payload.resolveOffset(message.offset);
    }
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

  #pauseUntilReady(context: SourceContext): void {
    if (this.#pausedForBudget || this.#stopped) return;
    this.#pausedForBudget = true;
    const topics = this.#byTopic(this.#assignment);
    this.#consumer.pause(topics);
    this.#logger.debug('in-flight budget full or connector paused: partitions paused');
    void context.ready().then(() => {
      this.#pausedForBudget = false;
      if (this.#stopped) return;
      this.#consumer.resume(this.#byTopic(this.#assignment));
      this.#logger.debug('partitions resumed');
    });
  }

  #watchGroup(context: SourceContext): void {
    const { GROUP_JOIN, REBALANCING, CRASH, FETCH_START, STOP } = this.#consumer.events;
    this.#consumer.on(FETCH_START, () => {
      this.#fetching = true;
      this.#lastError = undefined;
    });
    this.#consumer.on(STOP, () => {
      this.#fetching = false;
    });
    this.#consumer.on(REBALANCING, () => {
      void context.revoking().catch(() => undefined);
    });
    this.#consumer.on(GROUP_JOIN, (event) => {
      const assignment = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      this.#assignment = assignment;
      context.assigned(assignment);
      // A rejoin forgets pauses; keep fetching stopped while the budget is still full.
      if (this.#pausedForBudget) this.#consumer.pause(this.#byTopic(assignment));
    });
    this.#consumer.on(CRASH, (event) => {
      this.#fetching = false;
      const cause = classifyKafkaError(event.payload.error, 'consume');
      this.#lastError = cause;
      if (event.payload.restart && cause.disposition !== 'fatal') {
        this.#logger.warn({ err: cause }, 'consumer crashed; kafkajs restarts it');
        return;
      }
      context.failed(cause);
    });
  }

  #byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
    const topics = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      const list = topics.get(topic) ?? [];
      list.push(partition);
      topics.set(topic, list);
    }
    return [...topics].map(([topic, list]) => ({ topic, partitions: list }));
  }
}
