import { Kafka, type KafkaConfig } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { controlRequest } from '../../support/control/client.ts';
import {
  committedOffsets,
  consumeAll,
  createTopic,
  endOffsets,
  groupMembers,
  plaintextConfig,
  produce,
  requireSasl,
  saslConfig,
  uniqueName,
  type KafkaCoordinates,
  type PartitionOffsets,
} from '../../support/kafka/index.ts';
import { dedicatedKafka, kafkaPeer, type DedicatedPeer, type KafkaPeer } from '../../support/peers.ts';

const shared = kafkaPeer();

describe('the shared Kafka broker', () => {
  it('round-trips records over PLAINTEXT', async () => {
    const topic = await createTopic(shared, { partitions: 3 });
    const values = Array.from({ length: 3000 }, (_, index) => `record-${index}`);

    expect(
      await produce(
        shared,
        topic,
        values.map((value) => ({ value })),
      ),
    ).toBe(3000);
    const records = await consumeAll(shared, topic, { expected: 3000 });

    expect(records.map((record) => record.value?.toString()).sort()).toEqual([...values].sort());
    expect(new Set(records.map((record) => record.partition))).toEqual(new Set([0, 1, 2]));
  });

  it('describes the SASL_SSL listener with an Event Hubs connection string', () => {
    const { saslBootstrap, connectionString } = requireSasl(shared);

    expect(connectionString).toMatch(
      /^Endpoint=sb:\/\/[^/;]+\/;SharedAccessKeyName=[^;]+;SharedAccessKey=[^;]{40,}$/,
    );
    // The local broker names its listener, port included, in the endpoint: logbridge's Event Hubs preset honours it.
    if (!shared.external) expect(connectionString).toContain(`Endpoint=sb://${saslBootstrap}/;`);
  });

  it('refuses, through the control channel, to dispose a peer the whole run shares', async () => {
    await expect(controlRequest(inject('peerControl'), `/peers/${shared.name}/dispose`)).rejects.toThrow(
      /shared by the whole run/,
    );
  });

  it('round-trips a record over SASL_SSL with the Event Hubs connection string', async () => {
    const topic = await createTopic(shared);

    await sendOne(saslConfig(shared), topic, 'over SASL_SSL');

    expect(await readOne(saslConfig(shared), topic)).toBe('over SASL_SSL');
  });

  it('refuses a wrong connection string with an authentication error', async () => {
    const wrong = 'Endpoint=sb://localhost/;SharedAccessKeyName=logbridge-test;SharedAccessKey=wrong';
    const admin = new Kafka(
      saslConfig(shared, { password: wrong, overrides: { retry: { retries: 0 } } }),
    ).admin();

    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  });

  it('reports what a group committed, the end offsets and the group members', async () => {
    const topic = await createTopic(shared, { partitions: 2 });
    const groupId = uniqueName('group');
    await produce(
      shared,
      topic,
      Array.from({ length: 7 }, (_, index) => ({ value: `a${index}`, partition: 0 })),
    );
    await produce(
      shared,
      topic,
      Array.from({ length: 3 }, (_, index) => ({ value: `b${index}`, partition: 1 })),
    );

    await asMember(shared, groupId, topic, async (commit) => {
      await commit({ 0: 5n, 1: 3n });
      const { state, members } = await groupMembers(shared, groupId);
      expect(state).toBe('Stable');
      expect(members.map((member) => member.assignment)).toEqual([{ [topic]: [0, 1] }]);
    });

    expect(await committedOffsets(shared, groupId, topic)).toEqual({ 0: 5n, 1: 3n });
    expect(await endOffsets(shared, topic)).toEqual({ 0: 7n, 1: 3n });
    expect(await committedOffsets(shared, uniqueName('never-committed'), topic)).toEqual({});
    expect((await groupMembers(shared, groupId)).state).toBe('Empty');
  });
});

describe('a dedicated Kafka broker', () => {
  let broker: KafkaPeer & DedicatedPeer;

  beforeAll(async () => {
    broker = await dedicatedKafka();
    return () => broker.dispose();
  });

  it.each(['stop', 'kill'] as const)(
    'keeps topics and committed offsets across %s and start',
    async (how) => {
      const topic = await createTopic(broker, { partitions: 2 });
      const groupId = uniqueName('group');
      await produce(
        broker,
        topic,
        Array.from({ length: 10 }, (_, index) => ({ value: `v${index}` })),
      );
      await asMember(broker, groupId, topic, (commit) => commit({ 0: 2n, 1: 4n }));
      expect(await committedOffsets(broker, groupId, topic)).toEqual({ 0: 2n, 1: 4n });
      const ends = await endOffsets(broker, topic);

      await broker[how]();
      await expect(describeOnce(broker)).rejects.toThrow();
      await broker.start();

      expect(await endOffsets(broker, topic)).toEqual(ends);
      expect(await committedOffsets(broker, groupId, topic)).toEqual({ 0: 2n, 1: 4n });
      expect(await consumeAll(broker, topic)).toHaveLength(10);
      await sendOne(saslConfig(broker), topic, 'same credentials after restart');
    },
  );
});

/**
 * Joins `groupId` on `topic` as a consumer, lets `use` commit offsets as that member, then leaves. Waits for the
 * first fetch, not for GROUP_JOIN: kafkajs emits GROUP_JOIN before its runner counts as running, and until then
 * `consumer.commitOffsets` silently does nothing.
 */
async function asMember(
  broker: KafkaCoordinates,
  groupId: string,
  topic: string,
  use: (commit: (offsets: PartitionOffsets) => Promise<void>) => Promise<void>,
): Promise<void> {
  const consumer = new Kafka(plaintextConfig(broker)).consumer({ groupId, maxWaitTimeInMs: 100 });
  const fetching = new Promise<void>((resolve) =>
    consumer.on(consumer.events.FETCH_START, () => {
      resolve();
    }),
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ autoCommit: false, eachMessage: () => Promise.resolve() });
    await fetching;
    await use((offsets) =>
      consumer.commitOffsets(
        Object.entries(offsets).map(([partition, offset]) => ({
          topic,
          partition: Number(partition),
          offset: String(offset),
        })),
      ),
    );
  } finally {
    await consumer.disconnect();
  }
}

async function sendOne(config: KafkaConfig, topic: string, value: string): Promise<void> {
  const producer = new Kafka(config).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

async function readOne(config: KafkaConfig, topic: string): Promise<string | undefined> {
  const consumer = new Kafka(config).consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const { promise, resolve } = Promise.withResolvers<string | undefined>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        resolve(message.value?.toString());
        return Promise.resolve();
      },
    });
    return await promise;
  } finally {
    await consumer.disconnect();
  }
}

async function describeOnce(broker: KafkaCoordinates): Promise<void> {
  const admin = new Kafka(plaintextConfig(broker, { connectionTimeout: 500, retry: { retries: 0 } })).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}
