/**
 * What the eventhubs integration tests share: the AMQP peer (this process trusts its CA, so the test's SDK clients
 * and the in-process workers reach it), the HEC test server, events produced with the SDK's own producer, and
 * connector definitions for the peer.
 */
import { EventHubProducerClient } from '@azure/event-hubs';
import { pino } from 'pino';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import {
  type EventHubsPeer,
  peerSourceConfig,
  startEventHubsPeer,
  trustCertificate,
} from '../../support/eventhubs/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';

/** The peers of one test file. */
export interface EventHubsTestbed {
  readonly peer: EventHubsPeer;
  readonly hec: HecServer;
  readonly scratch: ScratchDir;
  /** Starts a worker with one connector; {@link EventHubsTestbed.close} stops it if the test did not. */
  startWorker(definition: Definition): Promise<Worker>;
  close(): Promise<void>;
}

/** A connector definition as the tests write it. */
export interface Definition {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Starts the peer, the HEC server and a scratch directory. */
export async function startTestbed(label: string): Promise<EventHubsTestbed> {
  const peer = await startEventHubsPeer();
  trustCertificate(peer.caPem);
  const [hec, scratch] = await Promise.all([startHecServer(), createScratchDir(label)]);
  const workers: Worker[] = [];
  return {
    peer,
    hec,
    scratch,
    async startWorker(definition) {
      const worker = new Worker(loadWorkerConfig(undefined, {}), pino({ level: 'silent' }));
      workers.push(worker);
      await worker.start(definition);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await Promise.all([peer.close(), hec.close(), scratch.remove()]);
    },
  };
}

/**
 * Produces `{"seq": i}` for i in [from, from + count) with the SDK's producer, in chunks of 100 alternating between
 * partitions 0 and 1 ({@link partitionOf}).
 */
export async function produce(peer: EventHubsPeer, hub: string, from: number, count: number): Promise<void> {
  const producer = new EventHubProducerClient(peer.connectionString(hub), {
    customEndpointAddress: peer.endpoint,
    retryOptions: { retryDelayInMs: 100 },
  });
  try {
    for (let i = from; i < from + count; i += 100) {
      const events = Array.from({ length: Math.min(100, from + count - i) }, (_, k) => ({
        body: Buffer.from(JSON.stringify({ seq: i + k })),
      }));
      await producer.sendBatch(events, { partitionId: String(partitionOf(i)) });
    }
  } finally {
    await producer.close();
  }
}

/** The partition of event `seq`: chunks of 100 alternate between partitions 0 and 1. */
export function partitionOf(seq: number): number {
  return Math.floor(seq / 100) % 2;
}

/** The seq values a partition holds from sequence number `from` on, of the first `count` produced. */
export function heldFrom(partition: number, from: number, count: number): number[] {
  return range(0, count)
    .filter((seq) => partitionOf(seq) === partition)
    .slice(from);
}

/** The seq of every event HEC received for `hub`, in arrival order. */
export function received(hec: HecServer, hub: string): number[] {
  return hec.events
    .filter((e) => (e.fields as Record<string, unknown> | undefined)?.['kafka_topic'] === hub)
    .map((e) => (e.event as { seq: number }).seq);
}

/** An eventhubs connector on the peer's `hub`, delivering to HEC, with fast load balancing and commits. */
export function eventHubsConnector(
  bed: Pick<EventHubsTestbed, 'peer' | 'hec'>,
  name: string,
  hub: string,
  extra: Readonly<Record<string, string>>,
): Definition {
  return {
    name,
    config: {
      ...peerSourceConfig(bed.peer, hub, bed.peer.connectionString(), {
        updateIntervalMs: 500,
        ownershipExpiryMs: 3000,
      }),
      'splunk.hec.uri': bed.hec.url,
      'splunk.hec.token': bed.hec.token,
      'offset.flush.interval.ms': '250',
      ...extra,
    },
  };
}

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);
