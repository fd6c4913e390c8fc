/**
 * A connector's checkpoints are its consumer group's committed offsets. This file reads them: per partition the
 * committed offset against the log start and end, and who is in the group. Changing them is `apply-offsets.ts`,
 * planning a change `reset-plan.ts`.
 * @module
 */
import type { Admin, Kafka } from 'kafkajs';
import { BridgeError } from '../../engine/index.ts';
import { classifyKafkaError, KafkaUnknownTopicError } from './errors.ts';
import type { GroupActivity } from './offsets-errors.ts';

/** The kafkajs client the offsets functions work on; build it with `createKafka(config, logger)`. */
export type KafkaClient = Kafka;

/** Where a group stands on one partition. Offsets are Kafka offsets: the next record to read. */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; undefined when it has none (the connector then starts per auto.offset.reset). */
  readonly committed: bigint | undefined;
  /** Log start offset: the oldest record still retained. */
  readonly start: bigint;
  /** Log end offset (high watermark): the offset the next record will get. */
  readonly end: bigint;
  /**
   * Records between the committed offset (or the log start, without one) and the log end; 0 when the committed
   * offset is above the log end.
   */
  readonly lag: bigint;
  /** The committed offset is above the log end (a known kafkajs + Event Hubs failure): reset the offsets. */
  readonly committedAboveEnd: boolean;
}

/**
 * Reads the group's committed offsets and the log start and end of every partition of `topics`, sorted by topic
 * (as given) and partition.
 * @throws BridgeError from `classifyKafkaError` (LB_KAFKA_*) when Kafka cannot be read.
 */
export async function describeGroupOffsets(
  kafka: KafkaClient,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionState[]> {
  return withAdmin(kafka, `read the offsets of consumer group ${groupId}`, (admin) =>
    readPartitionStates(admin, groupId, topics),
  );
}

/**
 * Describes the consumer group: its state and members. A group with members, or in any state but `Empty` or
 * `Dead`, is active and its offsets must not be changed ({@link isGroupActive}).
 * @throws BridgeError (LB_KAFKA_*) when Kafka cannot be read.
 */
export async function groupActivity(kafka: KafkaClient, groupId: string): Promise<GroupActivity> {
  return withAdmin(kafka, `describe consumer group ${groupId}`, (admin) => readGroupActivity(admin, groupId));
}

/** True when the group has live members or is rebalancing: no offset change may be made. */
export function isGroupActive(activity: GroupActivity): boolean {
  return activity.members > 0 || !['Empty', 'Dead'].includes(activity.state);
}

/**
 * @internal Runs `use` with a connected admin client and disconnects it whatever happens; kafkajs errors become
 * BridgeErrors (BridgeErrors pass through).
 * @param what the operation, for error messages.
 */
export async function withAdmin<T>(
  kafka: KafkaClient,
  what: string,
  use: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await use(admin);
  } catch (error) {
    throw error instanceof BridgeError ? error : classifyKafkaError(error, what);
  } finally {
    await admin.disconnect();
  }
}

/** @internal {@link describeGroupOffsets} on an open admin client. */
export async function readPartitionStates(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionState[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] }).catch((error: unknown) => {
    // Asking for the metadata of these topics only: a SAS policy scoped to one event hub may not list the others.
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    throw new KafkaUnknownTopicError(
      `a topic (event hub) of ${topics.join(', ')} does not exist; check the connector's topics`,
      { cause: error },
    );
  });
  const states: PartitionState[] = [];
  for (const topic of topics) {
    const logs = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const log of logs.toSorted((a, b) => a.partition - b.partition)) {
      const offset = mine.find((p) => p.partition === log.partition)?.offset;
      const state = {
        topic,
        partition: log.partition,
        committed: committedOffset(offset),
        start: BigInt(log.low),
        end: BigInt(log.high),
      };
      states.push(withLag(state));
    }
  }
  return states;
}

/** kafkajs reports "no committed offset" as `-1` (and an empty string on some brokers). */
function committedOffset(offset: string | undefined): bigint | undefined {
  if (offset === undefined || offset === '' || offset.startsWith('-')) return undefined;
  return BigInt(offset);
}

/** @internal Adds lag as the engine's status computes it (`offsets-watch.ts`). */
export function withLag(state: Omit<PartitionState, 'lag' | 'committedAboveEnd'>): PartitionState {
  const committedAboveEnd = state.committed !== undefined && state.committed > state.end;
  const lag = committedAboveEnd ? 0n : state.end - (state.committed ?? state.start);
  return { ...state, lag, committedAboveEnd };
}

/** @internal {@link groupActivity} on an open admin client. */
export async function readGroupActivity(admin: Admin, groupId: string): Promise<GroupActivity> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups.find((g) => g.groupId === groupId);
  if (group === undefined) return { groupId, state: 'Dead', members: 0, clients: [] };
  return {
    groupId,
    state: group.state,
    members: group.members.length,
    clients: group.members.map((m) => `${m.clientId}@${m.clientHost.replace(/^\//, '')}`),
  };
}
