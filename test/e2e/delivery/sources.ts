/**
 * The sources the delivery tests run against, behind one shape: the harness's Kafka broker (the Event Hubs-like
 * SASL_SSL listener, `source.type=kafka`) and the Event Hubs AMQP peer with Blob checkpoints in Azurite
 * (`source.type=eventhubs`). A test written against {@link DeliverySource} runs for both with `describe.each`.
 */
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { earliestEventPosition, EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Message } from 'kafkajs';
import type { HecServer } from '../../support/hec/index.ts';
import {
  type EventHubsPeer,
  peerSourceConfig,
  startEventHubsPeer,
  trustCertificate,
} from '../../support/eventhubs/index.ts';
import { committedOffsets, consumeAll, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import type { ConnectorFile } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { azuritePeer, kafkaPeer } from '../../support/peers.ts';
import { hecConnector, secretsEnv } from './setup.ts';

/** One topic (event hub) of a source, with what the tests read and write of it. */
export interface DeliveryStream {
  /** The topic, or the event hub. */
  readonly topic: string;
  /**
   * Appends records; `partition` places one, else they are spread over the partitions. `batchSize`: records per
   * Kafka produce request (small for large records).
   */
  produce(messages: Iterable<Message>, options?: { readonly batchSize?: number }): Promise<void>;
  /** Per partition, the position after the last record (Kafka's end offset, the last sequence number + 1). */
  ends(): Promise<Readonly<Record<number, bigint>>>;
  /** Per partition, the connector's committed position (offset, or checkpointed sequence number + 1). */
  committed(connector: string): Promise<Readonly<Record<number, bigint>>>;
  /** A connector reading this stream into `hec`; `extra` overrides any key. */
  connector(name: string, hec: HecServer, extra?: Readonly<Record<string, string>>): ConnectorFile;
  /** The environment holding the secrets the connector refers to. */
  env(hec: HecServer): Record<string, string>;
  /** Event Hubs: per partition, the replica that owns it in the checkpoint store (ownership not yet expired). */
  owners?(connector: string, expiryMs: number): Promise<Map<number, string>>;
}

/** A dead letter as read back: the value and the headers (application properties) as text. */
export interface Letter {
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** Where a connector's dead letters go (`errors.deadletterqueue.topic.name`), and reading them back. */
export interface DeadLetterTarget {
  readonly topic: string;
  /** Reads until `expected` letters are there (30 s at most). */
  read(expected: number): Promise<Letter[]>;
}

/** A source kind the delivery tests run against. */
export interface DeliverySource {
  readonly kind: 'kafka' | 'eventhubs';
  /** The largest record it takes: 1 MB for Event Hubs Standard, the broker's limit for Kafka. */
  readonly maxRecordBytes: number;
  /** Creates a stream of `partitions` partitions. */
  stream(partitions: number): Promise<DeliveryStream>;
  /** Creates a topic (event hub) for dead letters. */
  deadLetters(): Promise<DeadLetterTarget>;
  /** Stops what the source started for the test file. */
  close(): Promise<void>;
}

/** Starts the source of `kind` for one test file. */
export async function deliverySource(kind: DeliverySource['kind']): Promise<DeliverySource> {
  return kind === 'kafka' ? kafkaSource() : eventHubsSource();
}

function kafkaSource(): DeliverySource {
  const kafka = kafkaPeer();
  return {
    kind: 'kafka',
    maxRecordBytes: 8 * 1024 * 1024,
    async stream(partitions) {
      const topic = await createTopic(kafka, { partitions });
      return {
        topic,
        async produce(messages, options = {}) {
          await produce(kafka, topic, messages, options);
        },
        ends: () => endOffsets(kafka, topic),
        committed: (connector) => committedOffsets(kafka, `logbridge-${connector}`, topic),
        connector: (name, hec, extra = {}) => hecConnector(name, topic, kafka, hec, extra),
        env: (hec) => secretsEnv(kafka, hec),
      };
    },
    async deadLetters() {
      const topic = await createTopic(kafka, { partitions: 1 });
      return { topic, read: (expected) => consumeAll(kafka, topic, { expected }) };
    },
    close: () => Promise.resolve(),
  };
}

/** Events per `sendBatch`: well under the peer's and Event Hubs' 1 MiB batch limit for the tests' records. */
const SEND_BATCH = 500;

/** Bytes above which an event is sent alone. */
const LARGE_EVENT = 64 * 1024;

async function eventHubsSource(): Promise<DeliverySource> {
  const peer = await startEventHubsPeer();
  trustCertificate(peer.caPem);
  const azurite = azuritePeer();
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const producers: EventHubProducerClient[] = [];
  return {
    kind: 'eventhubs',
    maxRecordBytes: 1024 * 1024,
    deadLetters() {
      const topic = uniqueName('dlq');
      peer.createEventHub(topic, { partitions: 1 });
      return Promise.resolve({ topic, read: (expected) => readEvents(peer, topic, expected) });
    },
    async stream(partitions) {
      const hub = uniqueName('eh');
      const container = uniqueName('checkpoints').toLowerCase();
      await blobs.getContainerClient(container).create();
      const store = new BlobCheckpointStore(blobs.getContainerClient(container));
      const log = peer.createEventHub(hub, { partitions });
      const producer = new EventHubProducerClient(peer.connectionString(hub), {
        customEndpointAddress: peer.endpoint,
      });
      producers.push(producer);
      const spread = { partitions, chunk: 0 };
      return {
        topic: hub,
        produce: (messages) => sendAll(producer, spread, messages),
        ends: () => {
          const ends: Record<number, bigint> = {};
          for (const [p, partition] of log.partitions.entries())
            ends[p] = BigInt(partition.lastSequenceNumber + 1);
          return Promise.resolve(ends);
        },
        async committed(connector) {
          const committed: Record<number, bigint> = {};
          for (const c of await store.listCheckpoints(peer.host, hub, `logbridge-${connector}`)) {
            committed[Number(c.partitionId)] = BigInt(c.sequenceNumber) + 1n;
          }
          return committed;
        },
        async owners(connector, expiryMs) {
          const owners = new Map<number, string>();
          for (const o of await store.listOwnership(peer.host, hub, `logbridge-${connector}`)) {
            const live = o.ownerId !== '' && Date.now() - (o.lastModifiedTimeInMs ?? 0) < expiryMs;
            if (live) owners.set(Number(o.partitionId), o.ownerId);
          }
          return owners;
        },
        connector: (name, hec, extra = {}) => {
          log.consumerGroups.add(`logbridge-${name}`.toLowerCase());
          return eventHubsConnector(peer, name, hub, container, hec, extra);
        },
        env: (hec) => ({
          EVENTHUBS_CONNECTION_STRING: peer.connectionString(),
          CHECKPOINT_CONNECTION_STRING: azurite.connectionString,
          HEC_TOKEN: hec.token,
        }),
      };
    },
    async close() {
      await Promise.all(producers.map((p) => p.close()));
      await peer.close();
    },
  };
}

/** Reads an event hub from the start with the SDK's consumer until `expected` events came, 30 s at most. */
async function readEvents(peer: EventHubsPeer, hub: string, expected: number): Promise<Letter[]> {
  const consumer = new EventHubConsumerClient('$Default', peer.connectionString(hub), {
    customEndpointAddress: peer.endpoint,
  });
  const letters: Letter[] = [];
  const enough = Promise.withResolvers<undefined>();
  const timer = setTimeout(() => {
    enough.reject(new Error(`${hub}: ${letters.length} events within 30 s, expected ${expected}`));
  }, 30_000);
  const subscription = consumer.subscribe(
    {
      processEvents: (events) => {
        for (const event of events) {
          letters.push({ value: Buffer.from(event.body as Uint8Array), headers: event.properties ?? {} });
        }
        if (letters.length >= expected) enough.resolve(undefined);
        return Promise.resolve();
      },
      processError: () => Promise.resolve(),
    },
    { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
  );
  try {
    await enough.promise;
    return letters;
  } finally {
    clearTimeout(timer);
    await subscription.close();
    await consumer.close();
  }
}

function eventHubsConnector(
  peer: EventHubsPeer,
  name: string,
  hub: string,
  container: string,
  hec: HecServer,
  extra: Readonly<Record<string, string>>,
): ConnectorFile {
  return {
    name,
    config: {
      // A killed replica's ownership expires after 6 s; the SDK's default (60 s) would idle the restarted one.
      ...peerSourceConfig(peer, hub, '${env:EVENTHUBS_CONNECTION_STRING}', {
        updateIntervalMs: 1000,
        ownershipExpiryMs: 6000,
      }),
      'eventhubs.checkpoint.store': 'blob',
      'eventhubs.checkpoint.blob.connection.string': '${env:CHECKPOINT_CONNECTION_STRING}',
      'eventhubs.checkpoint.blob.container': container,
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': '${env:HEC_TOKEN}',
      'offset.flush.interval.ms': '1000',
      ...extra,
    },
  };
}

/** Round-robin state of one stream, kept across calls so that every partition gets its share. */
interface Spread {
  readonly partitions: number;
  chunk: number;
}

/** Sends with the SDK's producer: each message to its `partition`, else chunks of {@link SEND_BATCH} round-robin. */
async function sendAll(
  producer: EventHubProducerClient,
  spread: Spread,
  messages: Iterable<Message>,
): Promise<void> {
  const pending = new Map<number, { body: Buffer; properties?: Record<string, string> }[]>();
  let inChunk = 0;
  const flush = async (partition: number): Promise<void> => {
    const events = pending.get(partition);
    if (events === undefined || events.length === 0) return;
    pending.set(partition, []);
    await producer.sendBatch(events, { partitionId: String(partition) });
  };
  for (const message of messages) {
    let partition = message.partition;
    if (partition === undefined) {
      partition = spread.chunk % spread.partitions;
      inChunk += 1;
      if (inChunk === SEND_BATCH) {
        inChunk = 0;
        spread.chunk += 1;
      }
    }
    const body = Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value ?? '');
    const properties =
      message.headers === undefined
        ? undefined
        : Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
    // A large event goes in a batch of its own (a batch is at most 1 MiB).
    if (body.length > LARGE_EVENT) await flush(partition);
    const events = pending.get(partition) ?? [];
    events.push(properties === undefined ? { body } : { body, properties });
    pending.set(partition, events);
    if (events.length >= SEND_BATCH || body.length > LARGE_EVENT) await flush(partition);
  }
  for (const partition of pending.keys()) await flush(partition);
}
