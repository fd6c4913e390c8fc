/**
 * The eventhubs source: `EventHubConsumerClient.subscribe` over every partition, balanced between replicas by the
 * SDK through the checkpoint store. Events go to the engine in sequence order; when the engine's budget is full,
 * `processEvents` awaits (the SDK grants no more credit while it waits). Nothing checkpoints but our watermark: a
 * commit writes, per owned partition, the checkpoint of the last settled event (its sequence number and offset),
 * never past an unsettled one, at the pace the engine's committer allows.
 * @module
 */
import type {
  CheckpointStore,
  EventHubConsumerClient,
  EventPosition,
  PartitionContext,
  ReceivedEventData,
  Subscription,
} from '@azure/event-hubs';
import type { Logger } from 'pino';
import type {
  BridgeError,
  CommitOffset,
  PartitionOffsets,
  Source,
  SourceContext,
  SourceHealth,
} from '../../engine/index.ts';
import type { EventHubsSourceConfig } from './config.ts';
import { CheckpointStoreError, classifyEventHubsError } from './errors.ts';
import { toSourceRecord } from './record.ts';

/** How the source gets its clients (real ones, or a test's). */
export interface EventHubsClientFactory {
  store(): Promise<CheckpointStore>;
  consumer(store: CheckpointStore): Promise<EventHubConsumerClient>;
}

/** Reads one event hub through its consumer group. */
export class EventHubsSource implements Source {
  readonly id = 'eventhubs';
  readonly #config: EventHubsSourceConfig;
  readonly #clients: EventHubsClientFactory;
  readonly #logger: Logger;
  readonly #stopping = new AbortController();
  /** Partitions this process owns now. */
  readonly #owned = new Set<number>();
  /** Per owned partition, the offset of each accepted event not yet checkpointed, by sequence number. */
  readonly #pending = new Map<number, Map<bigint, string>>();
  /** The last receive failure per partition (`''`: the processor's own, e.g. the checkpoint store), until it reads again. */
  readonly #failures = new Map<string, BridgeError>();
  #context: SourceContext | undefined;
  #store: CheckpointStore | undefined;
  #consumer: EventHubConsumerClient | undefined;
  #subscription: Subscription | undefined;

  constructor(config: EventHubsSourceConfig, clients: EventHubsClientFactory, logger: Logger) {
    this.#config = config;
    this.#clients = clients;
    this.#logger = logger;
  }

  /** Opens the clients, checks the event hub can be read, and subscribes; may be called again after it threw. */
  async start(context: SourceContext): Promise<void> {
    this.#context = context;
    if (this.#subscription !== undefined) return;
    const what = `read event hub ${this.#config.eventHub}`;
    try {
      this.#store ??= await this.#clients.store();
      this.#consumer ??= await this.#clients.consumer(this.#store);
      await this.#consumer.getEventHubProperties();
    } catch (error) {
      const cause = classifyEventHubsError(error, what);
      this.#failures.set('', cause);
      throw cause;
    }
    this.#failures.clear();
    this.#subscription = this.#consumer.subscribe(
      {
        processInitialize: (partition) => this.#claimed(partition),
        processEvents: (events, partition) => this.#processEvents(events, partition),
        processClose: (reason, partition) => this.#released(partition, reason),
        processError: (error, partition) => this.#processError(error, partition),
      },
      {
        maxBatchSize: this.#config.maxBatchSize,
        // The SDK's default prefetch is 3 × maxBatchSize, credited again at every receive: while the budget is full
        // that kept RSS growing (+42 MiB in 40 s of HEC outage, test/e2e/delivery/outage.test.ts; +4 MiB with this).
        prefetchCount: this.#config.maxBatchSize,
        maxWaitTimeInSeconds: this.#config.maxWaitTimeSeconds,
        startPosition: startPositionOf(this.#config),
        skipParsingBodyAsJson: true,
      },
    );
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const store = this.#store;
    const consumer = this.#consumer;
    if (store === undefined || consumer === undefined) return;
    for (const { partition, offset } of offsets) {
      // Never checkpoint a partition another replica owns now: it checkpoints its own progress.
      if (!this.#owned.has(partition)) continue;
      const last = offset - 1n;
      const eventOffset = this.#pending.get(partition)?.get(last);
      if (eventOffset === undefined) continue;
      try {
        await store.updateCheckpoint({
          fullyQualifiedNamespace: this.#config.namespace,
          eventHubName: consumer.eventHubName,
          consumerGroup: this.#config.groupId,
          partitionId: String(partition),
          sequenceNumber: Number(last),
          offset: eventOffset,
        });
      } catch (error) {
        throw new CheckpointStoreError(
          `write the checkpoint of partition ${partition}: ${(error as Error).message}; check eventhubs.checkpoint.*`,
          { cause: error },
        );
      }
      this.#forgetUpTo(partition, last);
    }
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#subscription?.close().catch(() => undefined);
    await this.#consumer?.close().catch(() => undefined);
    this.#subscription = undefined;
  }

  /** Per partition: the checkpoint (+1: the next sequence number), the oldest retained and the next to come. */
  async offsets(): Promise<PartitionOffsets[]> {
    const consumer = this.#consumer;
    const store = this.#store;
    if (consumer === undefined || store === undefined) return [];
    const { eventHubName } = consumer;
    const checkpoints = await store.listCheckpoints(
      this.#config.namespace,
      eventHubName,
      this.#config.groupId,
    );
    const ids = await consumer.getPartitionIds();
    const result: PartitionOffsets[] = [];
    for (const id of ids) {
      const properties = await consumer.getPartitionProperties(id);
      const checkpoint = checkpoints.find((c) => c.partitionId === id);
      result.push({
        topic: eventHubName,
        partition: Number(id),
        committed: checkpoint === undefined ? undefined : BigInt(checkpoint.sequenceNumber) + 1n,
        start: BigInt(properties.beginningSequenceNumber),
        end: BigInt(properties.lastEnqueuedSequenceNumber) + 1n,
      });
    }
    return result;
  }

  /** Unhealthy from a receive failure until that partition (or, for the processor's, any partition) reads again. */
  health(): SourceHealth {
    const [lastError] = this.#failures.values();
    return lastError === undefined ? { healthy: true } : { healthy: false, lastError };
  }

  /**
   * A partition claimed: the SDK reads it from its checkpoint, so the engine starts tracking it at its first event.
   * Partitions kept go on as they were (never `assigned`, which would restart them all from their checkpoints while
   * the SDK reads on).
   */
  #claimed(partition: PartitionContext): Promise<void> {
    const id = Number(partition.partitionId);
    this.#owned.add(id);
    this.#pending.set(id, new Map());
    this.#context?.caughtUp(this.#partition(id), false);
    return Promise.resolve();
  }

  /** A partition given up or lost to another replica: what was tracked of it is dropped, its next owner reads it. */
  #released(partition: PartitionContext, reason: string): Promise<void> {
    const id = Number(partition.partitionId);
    this.#owned.delete(id);
    this.#pending.delete(id);
    this.#logger.info({ partition: id, reason }, 'partition released');
    this.#context?.revoked([this.#partition(id)]);
    return Promise.resolve();
  }

  #partition(partition: number): { topic: string; partition: number } {
    return { topic: this.#config.eventHub, partition };
  }

  /** Hands the events over in order; awaits while the budget is full, which is the backpressure. */
  async #processEvents(events: ReceivedEventData[], partition: PartitionContext): Promise<void> {
    const context = this.#context;
    const id = Number(partition.partitionId);
    const pending = this.#pending.get(id);
    if (context === undefined || pending === undefined) return;
    // A batch, even an empty one after the wait, means the receive works again.
    this.#failures.delete(partition.partitionId);
    this.#failures.delete('');
    // Caught up only after an empty batch: the SDK hands one over once max.wait.time passed with nothing to read.
    // A batch with events may have more behind it (or wait for budget), so the partition is behind until then.
    context.caughtUp(this.#partition(id), events.length === 0);
    for (const event of events) {
      if (context.isFull()) await context.ready(this.#stopping.signal);
      // Stopping, or the partition moved away while we waited: what is left is read again by its next owner.
      if (this.#stopping.signal.aborted || this.#pending.get(id) !== pending) return;
      pending.set(BigInt(event.sequenceNumber), event.offset);
      context.accept(toSourceRecord(this.#config.eventHub, id, event));
    }
  }

  #processError(error: Error, partition: PartitionContext): Promise<void> {
    const cause = classifyEventHubsError(error, `read event hub ${this.#config.eventHub}`);
    const where = { partition: partition.partitionId === '' ? undefined : partition.partitionId };
    this.#failures.set(partition.partitionId, cause);
    if (cause.disposition === 'fatal') {
      this.#context?.failed(cause);
    } else {
      this.#logger.warn({ err: cause, ...where }, 'event hub receive failed; the SDK retries');
    }
    return Promise.resolve();
  }

  #forgetUpTo(partition: number, last: bigint): void {
    const pending = this.#pending.get(partition);
    if (pending === undefined) return;
    for (const sequence of pending.keys()) {
      if (sequence <= last) pending.delete(sequence);
      else break;
    }
  }
}

/** Where a partition without checkpoint starts (the SDK's enqueued-time filter is "after": hence 1 ms before). */
function startPositionOf(config: EventHubsSourceConfig): EventPosition {
  if (config.startEnqueuedTime !== undefined) return { enqueuedOn: config.startEnqueuedTime.getTime() - 1 };
  return config.autoOffsetReset === 'earliest' ? { offset: '-1' } : { offset: '@latest' };
}
