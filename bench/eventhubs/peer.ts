/**
 * The eventhubs benchmark's peer, a helper process (bench/e2e/child.ts): the Event Hubs AMQP test peer
 * (test/support/eventhubs) and the SDK's own producer that fills it, apart from the bench so that neither's CPU is
 * counted as logbridge's (the bench reads this process's CPU from /proc and prints it beside).
 * @module
 */
import { EventHubProducerClient } from '@azure/event-hubs';
import {
  type EventHubsPeer,
  startEventHubsPeer,
  trustCertificate,
} from '../../test/support/eventhubs/index.ts';
import { serveParent } from '../e2e/child.ts';

/** What the bench needs to reach the peer. */
export interface PeerAddress {
  readonly endpoint: string;
  readonly caFile: string;
  /** Namespace connection string (no EntityPath). */
  readonly connectionString: string;
}

/** What the bench asks the peer to hold. */
export interface Workload {
  readonly hub: string;
  readonly partitions: number;
  readonly consumerGroup: string;
  readonly records: number;
  readonly recordBytes: number;
}

let peer: EventHubsPeer | undefined;

/** The records of kafka-source.ts: `{"seq":i,"log":"request i xxx…"}`, about `recordBytes` each. */
function* recordsOf(partition: number, w: Workload): Generator<Buffer> {
  const pad = 'x'.repeat(Math.max(0, w.recordBytes - 80));
  for (let i = partition; i < w.records; i += w.partitions) {
    yield Buffer.from(JSON.stringify({ seq: i, log: `request ${i} ${pad}` }));
  }
}

/** Sends one partition's share in batches as large as the peer's 1 MiB message size allows. */
async function fill(producer: EventHubProducerClient, partition: number, w: Workload): Promise<void> {
  let batch = await producer.createBatch({ partitionId: String(partition) });
  for (const body of recordsOf(partition, w)) {
    if (batch.tryAdd({ body })) continue;
    await producer.sendBatch(batch);
    batch = await producer.createBatch({ partitionId: String(partition) });
    if (!batch.tryAdd({ body })) throw new Error(`a ${body.length}-byte event does not fit an empty batch`);
  }
  if (batch.count > 0) await producer.sendBatch(batch);
}

serveParent({
  ready: async (): Promise<PeerAddress> => {
    peer = await startEventHubsPeer();
    trustCertificate(peer.caPem);
    return { endpoint: peer.endpoint, caFile: peer.caFile, connectionString: peer.connectionString() };
  },
  produce: async (w: Workload): Promise<number> => {
    if (peer === undefined) throw new Error('the peer is not started');
    const hub = peer.createEventHub(w.hub, { partitions: w.partitions, consumerGroups: [w.consumerGroup] });
    const producer = new EventHubProducerClient(peer.connectionString(w.hub), {
      customEndpointAddress: peer.endpoint,
    });
    try {
      await Promise.all(Array.from({ length: w.partitions }, (_, p) => fill(producer, p, w)));
    } finally {
      await producer.close();
    }
    return hub.partitions.reduce((sum, partition) => sum + partition.size, 0);
  },
  close: async (): Promise<void> => {
    await peer?.close();
    peer = undefined;
  },
});
