import { AssignerProtocol, Kafka, type Admin, type ITopicConfig } from 'kafkajs';
import { uniqueName } from '../names.ts';
import { plaintextConfig } from './clients.ts';
import type { KafkaCoordinates } from './coordinates.ts';

/** Offsets by partition number, e.g. `{ 0: 120n, 1: 98n }`. */
export type PartitionOffsets = Readonly<Record<number, bigint>>;

/** Options of {@link createTopic}. */
export interface CreateTopicOptions {
  /** @default 1 */
  readonly partitions?: number;
  /** @default uniqueName('topic') */
  readonly name?: string;
  /** Topic-level configs, e.g. `{ 'max.message.bytes': '1048576' }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Creates a topic (replication factor 1) and waits until every partition has a leader, so producing to it right
 * after does not fail. The broker does not auto-create topics (like Event Hubs): tests create theirs.
 *
 * @returns the topic's name
 * @throws Error when the topic already exists or cannot be created
 */
export async function createTopic(
  broker: KafkaCoordinates,
  options: CreateTopicOptions = {},
): Promise<string> {
  const topic: ITopicConfig = {
    topic: options.name ?? uniqueName('topic'),
    numPartitions: options.partitions ?? 1,
    replicationFactor: 1,
    configEntries: Object.entries(options.config ?? {}).map(([name, value]) => ({ name, value })),
  };
  const created = await withAdmin(broker, async (admin) => {
    try {
      return await admin.createTopics({ topics: [topic], waitForLeaders: true });
    } catch (error) {
      // kafkajs created the topic but gave up waiting for its leaders: wait longer ourselves.
      if (!(error instanceof Error) || !/does not host this topic-partition/.test(error.message)) throw error;
      await waitForLeaders(admin, topic.topic, topic.numPartitions ?? 1);
      return true;
    }
  });
  if (!created) throw new Error(`topic ${topic.topic} already exists on ${broker.bootstrap}`);
  return topic.topic;
}

/**
 * Polls metadata until every partition of a new topic has a leader. kafkajs' own `waitForLeaders` gives up after its
 * few metadata retries with UNKNOWN_TOPIC_OR_PARTITION when a loaded machine makes the KRaft controller slow to
 * publish the topic; this waits up to 60 s.
 */
async function waitForLeaders(admin: Admin, topic: string, partitions: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const led = topics[0]?.partitions.filter(({ leader }) => leader >= 0).length ?? 0;
      if (led === partitions) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic}: not every partition has a leader after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The offsets a consumer group has committed on a topic: the next offset to read, per partition. Partitions with
 * no commit are left out, so a group that never committed yields `{}`.
 */
export async function committedOffsets(
  broker: KafkaCoordinates,
  groupId: string,
  topic: string,
): Promise<PartitionOffsets> {
  const [result] = await withAdmin(broker, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  const committed = (result?.partitions ?? []).filter(({ offset }) => offset !== '-1');
  return Object.fromEntries(committed.map(({ partition, offset }) => [partition, BigInt(offset)]));
}

/** The log end offset (high watermark: the offset the next record will get) of every partition of a topic. */
export async function endOffsets(broker: KafkaCoordinates, topic: string): Promise<PartitionOffsets> {
  const offsets = await withAdmin(broker, (admin) => admin.fetchTopicOffsets(topic));
  return Object.fromEntries(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
}

/** How many records a topic holds now: the sum over its partitions of high watermark minus log start offset. */
export async function recordCount(broker: KafkaCoordinates, topic: string): Promise<number> {
  const offsets = await withAdmin(broker, (admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((total, { high, low }) => total + Number(high) - Number(low), 0);
}

/** A consumer group's state and members, as the coordinator reports them. */
export interface GroupMembers {
  /** `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty` or `Dead` (unknown group). */
  readonly state: string;
  readonly members: readonly GroupMember[];
}

/** One member of a consumer group. */
export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  /** Partitions assigned to it (ascending), by topic; `{}` while a rebalance is under way. */
  readonly assignment: Readonly<Record<string, readonly number[]>>;
}

/** Describes a consumer group (DescribeGroups): its state, members and their assigned partitions. */
export async function groupMembers(broker: KafkaCoordinates, groupId: string): Promise<GroupMembers> {
  const { groups } = await withAdmin(broker, (admin) => admin.describeGroups([groupId]));
  const group = groups[0];
  if (group === undefined) throw new Error(`DescribeGroups returned nothing for group ${groupId}`);
  const members = group.members.map(({ memberId, clientId, clientHost, memberAssignment }) => ({
    memberId,
    clientId,
    clientHost,
    assignment: sortedAssignment(
      AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment ?? {},
    ),
  }));
  return { state: group.state, members };
}

function sortedAssignment(assignment: Readonly<Record<string, readonly number[]>>): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(assignment).map(([topic, partitions]) => [topic, partitions.toSorted((a, b) => a - b)]),
  );
}

/** Runs `use` with a connected admin client on the PLAINTEXT listener, and disconnects it whatever happens. */
async function withAdmin<T>(broker: KafkaCoordinates, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka(plaintextConfig(broker)).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}
