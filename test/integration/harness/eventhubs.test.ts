/**
 * The Event Hubs AMQP peer, checked by the SDK from both sides: EventHubProducerClient writes (batches, a partition,
 * a partition key), EventHubConsumerClient reads back with Event Hubs' coordinates from every kind of start
 * position; CBS refuses a wrong or expired signature; the epoch rule kicks a lower owner; unknown consumer groups
 * are refused; a dropped connection or a stall loses nothing.
 */
import {
  earliestEventPosition,
  EventHubConsumerClient,
  EventHubProducerClient,
  type EventPosition,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSasToken,
  type EventHubsPeer,
  startEventHubsPeer,
  trustCertificate,
} from '../../support/eventhubs/index.ts';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';

let peer: EventHubsPeer;
const clients: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  peer = await startEventHubsPeer();
  trustCertificate(peer.caPem);
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await peer.close();
});

function producer(hub: string): EventHubProducerClient {
  // Short retry delays: the SDK's default (30 s fixed) would make the reconnect after a drop slow, not wrong.
  const client = new EventHubProducerClient(peer.connectionString(hub), {
    customEndpointAddress: peer.endpoint,
    retryOptions: { retryDelayInMs: 100 },
  });
  clients.push(client);
  return client;
}

function consumer(hub: string, group = '$Default'): EventHubConsumerClient {
  const client = new EventHubConsumerClient(group, peer.connectionString(hub), {
    customEndpointAddress: peer.endpoint,
    retryOptions: { maxRetries: 2, retryDelayInMs: 100 },
  });
  clients.push(client);
  return client;
}

/** Reads one partition from `position` until `count` events came, or fails naming what it saw. */
async function readPartition(
  client: EventHubConsumerClient,
  partition: string,
  position: EventPosition,
  count: number,
): Promise<ReceivedEventData[]> {
  const events: ReceivedEventData[] = [];
  const errors: Error[] = [];
  const subscription = client.subscribe(
    partition,
    {
      processEvents: (batch) => {
        events.push(...batch);
        return Promise.resolve();
      },
      processError: (error) => {
        errors.push(error);
        return Promise.resolve();
      },
    },
    { startPosition: position, maxBatchSize: 50, maxWaitTimeInSeconds: 1 },
  );
  try {
    await waitFor(
      () => events.length >= count || errors.length > 0,
      20_000,
      `${count} events of partition ${partition}`,
    );
  } finally {
    await subscription.close();
  }
  const [error] = errors;
  if (error !== undefined) throw error;
  return events;
}

describe('the Event Hubs AMQP peer', () => {
  it('stores what the SDK produces and delivers it back with sequence number, offset, time and partition key', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 2 });
    const send = producer(hub);
    expect((await send.getEventHubProperties()).partitionIds).toEqual(['0', '1']);
    const batch = await send.createBatch({ partitionId: '0' });
    for (let i = 0; i < 10; i += 1) expect(batch.tryAdd({ body: { i }, properties: { i } })).toBe(true);
    await send.sendBatch(batch);
    await send.sendBatch([{ body: 'keyed' }], { partitionKey: 'pod-a' });
    await send.sendBatch([{ body: 'keyed again' }], { partitionKey: 'pod-a' });

    const zero = await send.getPartitionProperties('0');
    expect(zero).toMatchObject({ beginningSequenceNumber: 0, isEmpty: false });
    const events = await readPartition(consumer(hub), '0', earliestEventPosition, 10);
    expect(events.slice(0, 10).map((e) => [e.sequenceNumber, e.body as unknown, e.properties])).toEqual(
      Array.from({ length: 10 }, (_, i) => [i, { i }, { i }]),
    );
    const offsets = events.map((e) => Number(e.offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(events[0]?.enqueuedTimeUtc).toBeInstanceOf(Date);
    const keyed = [zero, await send.getPartitionProperties('1')].flatMap((p) =>
      p.lastEnqueuedSequenceNumber >= (p.partitionId === '0' ? 11 : 1) ? [p.partitionId] : [],
    );
    expect(keyed).toHaveLength(1); // both keyed events went to one partition
  });

  it('starts where the position says: sequence number, offset (exclusive or inclusive), enqueued time', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 1 });
    const send = producer(hub);
    await send.sendBatch(Array.from({ length: 5 }, (_, i) => ({ body: i })));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await send.sendBatch(Array.from({ length: 5 }, (_, i) => ({ body: 5 + i })));
    const read = consumer(hub);
    const all = await readPartition(read, '0', earliestEventPosition, 10);
    const third = all[2];
    if (third === undefined) throw new Error('no third event');

    const bySequence = await readPartition(read, '0', { sequenceNumber: 2 }, 7);
    expect(bySequence[0]?.sequenceNumber).toBe(3);
    const inclusive = await readPartition(read, '0', { sequenceNumber: 2, isInclusive: true }, 8);
    expect(inclusive[0]?.sequenceNumber).toBe(2);
    const byOffset = await readPartition(read, '0', { offset: third.offset }, 7);
    expect(byOffset[0]?.sequenceNumber).toBe(3);
    const byTime = await readPartition(read, '0', { enqueuedOn: cut }, 5);
    expect(byTime.map((e) => e.body as unknown)).toEqual([5, 6, 7, 8, 9]);
  });

  it('refuses a token with a wrong signature and an expired one (CBS put-token)', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 1 });
    const wrongKey = new EventHubProducerClient(
      peer.connectionString(hub, { name: peer.policy.name, key: 'not-the-key' }),
      { customEndpointAddress: peer.endpoint, retryOptions: { maxRetries: 0 } },
    );
    clients.push(wrongKey);
    await expect(wrongKey.sendBatch([{ body: 'x' }])).rejects.toThrow(/invalid signature/);

    const expired = createSasToken(
      peer.policy,
      `sb://${peer.host}/${hub}`,
      Math.floor(Date.now() / 1000) - 60,
    );
    const late = new EventHubProducerClient(
      peer.host,
      hub,
      { signature: expired },
      {
        customEndpointAddress: peer.endpoint,
        retryOptions: { maxRetries: 0 },
      },
    );
    clients.push(late);
    await expect(late.sendBatch([{ body: 'x' }])).rejects.toThrow(/ExpiredToken/);
    expect(peer.server.hub(hub)?.partitions[0]?.size).toBe(0);
  });

  it('refuses a consumer group that was not created', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 1, consumerGroups: ['logbridge-a'] });
    await producer(hub).sendBatch([{ body: 'x' }]);
    await expect(readPartition(consumer(hub, 'logbridge-b'), '0', earliestEventPosition, 1)).rejects.toThrow(
      /consumergroups\/logbridge-b' could not be found/,
    );
    expect(await readPartition(consumer(hub, 'logbridge-a'), '0', earliestEventPosition, 1)).toHaveLength(1);
  });

  it('lets a receiver with a higher epoch take the partition; a lower one is refused', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 1 });
    await producer(hub).sendBatch([{ body: 'x' }]);
    const first = subscribeWithEpoch(consumer(hub), 1);
    await waitFor(() => peer.server.receiverCount(hub, '$Default', '0') === 1, 10_000, 'the first receiver');
    const second = subscribeWithEpoch(consumer(hub), 2);
    await waitFor(
      () => first.errors.some((e) => (e as { code?: string }).code === 'ReceiverDisconnectedError'),
      10_000,
      'the first kicked',
    );
    const third = subscribeWithEpoch(consumer(hub), 1);
    await waitFor(() => third.errors.length > 0, 10_000, 'the lower epoch refused');
    expect(third.errors[0]?.message).toMatch(/higher epoch '2'/);
    expect(peer.server.receiverCount(hub, '$Default', '0')).toBe(1);
    for (const s of [first, second, third]) await s.subscription.close();
  });

  it('loses nothing when every connection drops or deliveries stall', async () => {
    const hub = uniqueName('eh');
    peer.createEventHub(hub, { partitions: 1 });
    const send = producer(hub);
    const events: ReceivedEventData[] = [];
    const subscription = consumer(hub).subscribe(
      '0',
      {
        processEvents: (batch) => {
          events.push(...batch);
          return Promise.resolve();
        },
        processError: () => Promise.resolve(),
      },
      { startPosition: earliestEventPosition, maxBatchSize: 10, maxWaitTimeInSeconds: 1 },
    );
    await send.sendBatch(Array.from({ length: 20 }, (_, i) => ({ body: i })));
    await waitFor(() => events.length >= 20, 20_000, 'the first 20');
    peer.server.stall(true);
    await send.sendBatch(Array.from({ length: 20 }, (_, i) => ({ body: 20 + i })));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(events).toHaveLength(20);
    peer.server.stall(false);
    await waitFor(() => events.length >= 40, 20_000, 'the stalled 20');
    peer.server.dropConnections();
    // A fresh producer: the SDK's producer waits out its 60 s operation timeout after its connection is cut
    // (README.md § What we saw of the SDK); the consumer under test reconnects at once.
    await producer(hub).sendBatch(Array.from({ length: 20 }, (_, i) => ({ body: 40 + i })));
    await waitFor(() => events.length >= 60, 30_000, 'the 20 after the drop');
    await subscription.close();
    expect(events.map((e) => e.body as unknown)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});

function subscribeWithEpoch(
  client: EventHubConsumerClient,
  ownerLevel: number,
): { subscription: Subscription; errors: Error[] } {
  const errors: Error[] = [];
  const subscription = client.subscribe(
    '0',
    {
      processEvents: () => Promise.resolve(),
      processError: (error) => {
        errors.push(error);
        return Promise.resolve();
      },
    },
    { startPosition: earliestEventPosition, ownerLevel, maxWaitTimeInSeconds: 1 },
  );
  return { subscription, errors };
}
