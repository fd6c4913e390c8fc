/**
 * The eventhubs source's side of the offsets tooling (src/offsets): positions are sequence numbers (the next event
 * to read = the checkpoint's sequence number + 1), read from the checkpoint store against each partition's
 * beginning and last sequence numbers; set by writing checkpoints. The SDK resumes from a checkpoint's **offset**, so
 * a position N gets the offset of event N − 1, read from the partition (or `-1`, the start, when N is the oldest
 * retained event). A group is live while an ownership was renewed within the ownership expiry.
 * @module
 */
import type { CheckpointStore, EventHubConsumerClient, ReceivedEventData } from '@azure/event-hubs';
import { BridgeError } from '../../engine/index.ts';
import {
  type GroupActivity,
  type OffsetsAdapter,
  OffsetsRequestError,
  type OffsetsSession,
  partitionKey,
  type PartitionState,
  type PositionToApply,
  withLag,
} from '../../offsets/index.ts';
import { type ConnectorCheckpointStore, createCheckpointStore } from './checkpoint-store.ts';
import { createConsumer } from './client.ts';
import type { EventHubsSourceConfig } from './config.ts';
import { classifyEventHubsError } from './errors.ts';

/** How long a lookup waits for an event before deciding there is none, ms. */
const LOOKUP_WAIT_MS = 5000;

/** A store that has no checkpoint and lets every claim through, for the lookup client alone. */
const NO_CHECKPOINTS: CheckpointStore = {
  listOwnership: () => Promise.resolve([]),
  claimOwnership: (ownerships) => Promise.resolve(ownerships),
  updateCheckpoint: () => Promise.resolve(),
  listCheckpoints: () => Promise.resolve([]),
};

/** The offsets adapter of an eventhubs connector: one consumer client (no subscription) per session. */
export function eventHubsOffsets(config: EventHubsSourceConfig): OffsetsAdapter {
  return {
    async session(what, use) {
      let consumer: EventHubConsumerClient | undefined;
      try {
        const store = await createCheckpointStore(config.checkpointStore, config.namespace);
        // Lookups must start where asked: a client on the real store would start at the checkpoint instead
        // (EventProcessor._getStartingPosition prefers a checkpoint to the given position).
        consumer = await createConsumer(config, NO_CHECKPOINTS);
        return await use(new EventHubsOffsetsSession(config, consumer, store));
      } catch (error) {
        throw error instanceof BridgeError ? error : classifyEventHubsError(error, what);
      } finally {
        await consumer?.close().catch(() => undefined);
      }
    },
  };
}

class EventHubsOffsetsSession implements OffsetsSession {
  readonly #config: EventHubsSourceConfig;
  readonly #consumer: EventHubConsumerClient;
  readonly #store: ConnectorCheckpointStore;

  constructor(
    config: EventHubsSourceConfig,
    consumer: EventHubConsumerClient,
    store: ConnectorCheckpointStore,
  ) {
    this.#config = config;
    this.#consumer = consumer;
    this.#store = store;
  }

  async positions(groupId: string, topics: readonly string[]): Promise<PartitionState[]> {
    const { eventHubName } = this.#consumer;
    const fullyQualifiedNamespace = this.#config.namespace;
    if (!topics.some((t) => t.toLowerCase() === eventHubName.toLowerCase())) return [];
    const checkpoints = await this.#store.listCheckpoints(fullyQualifiedNamespace, eventHubName, groupId);
    const states: PartitionState[] = [];
    for (const id of await this.#consumer.getPartitionIds()) {
      const properties = await this.#consumer.getPartitionProperties(id);
      const checkpoint = checkpoints.find((c) => c.partitionId === id);
      states.push(
        withLag({
          topic: this.#config.eventHub,
          partition: Number(id),
          committed: checkpoint === undefined ? undefined : BigInt(checkpoint.sequenceNumber) + 1n,
          start: BigInt(properties.beginningSequenceNumber),
          end: BigInt(properties.lastEnqueuedSequenceNumber) + 1n,
        }),
      );
    }
    return states.sort((a, b) => a.partition - b.partition);
  }

  /** The first event enqueued at or after `at` per partition (the SDK's filter is "after", hence `at` − 1 ms). */
  async positionsAt(states: readonly PartitionState[], at: Date): Promise<Map<string, bigint>> {
    const found = new Map<string, bigint>();
    for (const state of states) {
      const event = await this.#firstEvent(String(state.partition), { enqueuedOn: at.getTime() - 1 });
      found.set(
        partitionKey(state.topic, state.partition),
        event === undefined ? state.end : BigInt(event.sequenceNumber),
      );
    }
    return found;
  }

  async activity(groupId: string): Promise<GroupActivity> {
    const { eventHubName } = this.#consumer;
    const fullyQualifiedNamespace = this.#config.namespace;
    const ownerships = await this.#store.listOwnership(fullyQualifiedNamespace, eventHubName, groupId);
    const liveSince = Date.now() - this.#config.loadBalancing.ownershipExpiryMs;
    const live = ownerships.filter((o) => o.ownerId !== '' && (o.lastModifiedTimeInMs ?? 0) > liveSince);
    const owners = [...new Set(live.map((o) => o.ownerId))];
    return {
      groupId,
      state: owners.length > 0 ? 'Stable' : 'Empty',
      members: owners.length,
      clients: owners.map((owner) => {
        const partitions = live.filter((o) => o.ownerId === owner).map((o) => o.partitionId);
        return `${owner} (partitions ${partitions.join(',')})`;
      }),
      liveness:
        'after a crash an owner counts as live until its ownership is older than ' +
        `eventhubs.load.balancing.ownership.expiry.ms (${this.#config.loadBalancing.ownershipExpiryMs} ms)`,
    };
  }

  async apply(groupId: string, positions: readonly PositionToApply[]): Promise<void> {
    const { eventHubName } = this.#consumer;
    const fullyQualifiedNamespace = this.#config.namespace;
    for (const { partition, offset: next } of positions) {
      const id = String(partition);
      const properties = await this.#consumer.getPartitionProperties(id);
      const begin = BigInt(properties.beginningSequenceNumber);
      let offset = '-1';
      if (next > begin) {
        const previous = await this.#firstEvent(id, { sequenceNumber: Number(next - 1n), isInclusive: true });
        if (previous === undefined || BigInt(previous.sequenceNumber) !== next - 1n) {
          throw new OffsetsRequestError(`partition ${id} has no event ${next - 1n} to resume after`);
        }
        offset = previous.offset;
      }
      await this.#store.updateCheckpoint({
        fullyQualifiedNamespace,
        eventHubName,
        consumerGroup: groupId,
        partitionId: id,
        sequenceNumber: Number(next - 1n),
        offset,
      });
    }
  }

  /** Deletes the group's checkpoint blobs (or file entries): the connector then starts per eventhubs.start.*. */
  async removeAll(groupId: string): Promise<boolean> {
    await this.#store.removeCheckpoints(this.#consumer.eventHubName, groupId);
    return true;
  }

  /** The first event from `position` on one partition, or undefined when none comes within the wait. */
  async #firstEvent(
    partitionId: string,
    position: Record<string, unknown>,
  ): Promise<ReceivedEventData | undefined> {
    const first = Promise.withResolvers<ReceivedEventData | undefined>();
    const subscription = this.#consumer.subscribe(
      partitionId,
      {
        processEvents: (events) => {
          first.resolve(events[0]);
          return Promise.resolve();
        },
        processError: (error) => {
          first.reject(error);
          return Promise.resolve();
        },
      },
      {
        startPosition: position,
        maxBatchSize: 1,
        maxWaitTimeInSeconds: LOOKUP_WAIT_MS / 1000,
        skipParsingBodyAsJson: true,
      },
    );
    try {
      return await first.promise;
    } finally {
      await subscription.close();
    }
  }
}
