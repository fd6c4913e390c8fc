/**
 * The kafka source's side of the offsets tooling (src/offsets): a connector's checkpoints are its consumer group's
 * committed offsets. Read with the admin client (committed offsets against the log start and end, the group's
 * members, offsets by timestamp); changed by committing as a short-lived member of the group (`group-commit.ts`).
 *
 * Why not kafkajs' `resetOffsets`: it commits the sentinels -2/-1, which Event Hubs may not honour
 * (reference/eventhubs-kafka.md §5); real offsets are committed instead.
 * @module
 */
import type { Admin, Kafka } from 'kafkajs';
import { BridgeError } from '../../engine/index.ts';
import {
  GroupActiveError,
  type GroupActivity,
  isGroupActive,
  type OffsetsAdapter,
  type OffsetsSession,
  partitionKey,
  type PartitionState,
  withLag,
} from '../../offsets/index.ts';
import { classifyKafkaError, KafkaUnknownTopicError } from './errors.ts';
import { commitAsMember } from './group-commit.ts';

/** The kafkajs client the offsets functions work on; build it with `createKafka(config, logger)`. */
export type KafkaClient = Kafka;

/** When a crashed member stops counting, for the refusal's message. */
const LIVENESS =
  'after a crash the broker drops a member once its session times out (kafka.session.timeout.ms, 30 s by default)';

/** The offsets tooling's adapter over a kafkajs client: one admin connection per session. */
export function kafkaOffsets(kafka: KafkaClient): OffsetsAdapter {
  return {
    session: (what, use) => withAdmin(kafka, what, (admin) => use(kafkaSession(kafka, admin))),
  };
}

function kafkaSession(kafka: KafkaClient, admin: Admin): OffsetsSession {
  return {
    positions: (groupId, topics) => readPartitionStates(admin, groupId, topics),
    positionsAt: (states, at) => offsetsAt(admin, states, at),
    activity: (groupId) => readGroupActivity(admin, groupId),
    apply: (groupId, positions) => commitAsMember(kafka, groupId, positions),
    removeAll: (groupId) => deleteGroup(admin, groupId),
  };
}

/**
 * Runs `use` with a connected admin client and disconnects it whatever happens; kafkajs errors become
 * BridgeErrors (BridgeErrors pass through).
 * @param what the operation, for error messages.
 */
async function withAdmin<T>(kafka: KafkaClient, what: string, use: (admin: Admin) => Promise<T>): Promise<T> {
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

/** Every partition of `topics` with the group's committed offset and the log start and end. */
async function readPartitionStates(
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

/**
 * Per partition, the first offset whose record timestamp is at or after `at`; kafkajs answers the log end when
 * there is none (ListOffsets returns -1). Event Hubs' support of lookups by time: reference/eventhubs-kafka.md §5.
 */
async function offsetsAt(
  admin: Admin,
  states: readonly PartitionState[],
  at: Date,
): Promise<Map<string, bigint>> {
  const found = new Map<string, bigint>();
  for (const topic of new Set(states.map((s) => s.topic))) {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, at.getTime());
    for (const { partition, offset } of offsets) found.set(partitionKey(topic, partition), BigInt(offset));
  }
  return found;
}

/** The group's state and members; a group with members, or in any state but `Empty` or `Dead`, is active. */
async function readGroupActivity(admin: Admin, groupId: string): Promise<GroupActivity> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups.find((g) => g.groupId === groupId);
  if (group === undefined) return { groupId, state: 'Dead', members: 0, clients: [], liveness: LIVENESS };
  return {
    groupId,
    state: group.state,
    members: group.members.length,
    clients: group.members.map((m) => `${m.clientId}@${m.clientHost.replace(/^\//, '')}`),
    liveness: LIVENESS,
  };
}

/**
 * DeleteGroups (what Kafka Connect does for sink connectors).
 * @returns whether the group is gone; false when the broker cannot delete groups (then offsets are reset).
 */
async function deleteGroup(admin: Admin, groupId: string): Promise<boolean> {
  try {
    await admin.deleteGroups([groupId]);
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'KafkaJSServerDoesNotSupportApiKey') return false;
    const type = (error as { groups?: readonly { error?: { type?: string } }[] }).groups?.[0]?.error?.type;
    if (type === 'GROUP_ID_NOT_FOUND') return true;
    if (type === 'NON_EMPTY_GROUP') {
      const activity = await readGroupActivity(admin, groupId);
      if (isGroupActive(activity)) throw new GroupActiveError(activity, {}, { cause: error });
    }
    if (type === undefined || type === 'NON_EMPTY_GROUP' || type.includes('AUTHORIZATION')) throw error;
    return false;
  }
}
