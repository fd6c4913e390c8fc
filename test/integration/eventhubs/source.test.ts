/**
 * The eventhubs source end to end in-process: a Worker reads the AMQP peer (produced into with the SDK's own
 * producer) and delivers to the HEC test server; checkpoints land in a local file or in Azurite's Blob service, and
 * a restart resumes from them; two workers sharing partitions through Azurite deliver everything between them.
 */
import { readFile } from 'node:fs/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';
import { azuritePeer } from '../../support/peers.ts';
import {
  type EventHubsTestbed,
  eventHubsConnector,
  heldFrom,
  partitionOf,
  produce,
  range,
  received,
  sorted,
  startTestbed,
} from './setup.ts';

const azurite = azuritePeer();
let bed: EventHubsTestbed;

beforeAll(async () => {
  bed = await startTestbed('eventhubs-source');
});
afterAll(async () => {
  await bed.close();
});

describe('the eventhubs source', () => {
  it('delivers every event, checkpoints the watermark in a local file, and resumes from it', async () => {
    const { peer, hec } = bed;
    const hub = uniqueName('eh');
    const name = uniqueName('file');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    await produce(peer, hub, 0, 400);
    const path = `${bed.scratch.path}/${name}.json`;
    const definition = eventHubsConnector(bed, name, hub, {
      'eventhubs.checkpoint.store': 'file',
      'eventhubs.checkpoint.file.path': path,
    });
    const worker = await bed.startWorker(definition);
    expect(worker.slot(name).status().state).toBe('RUNNING');
    await waitForCount(hub, 400);
    expect(worker.slot(name).status().source).toMatchObject({ healthy: true });
    await worker.stop();
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      checkpoints: { partitionId: string; sequenceNumber: number }[];
    };
    expect(file.checkpoints.map((c) => [c.partitionId, c.sequenceNumber]).sort()).toEqual([
      ['0', 199],
      ['1', 199],
    ]);

    await produce(peer, hub, 400, 200);
    const again = await bed.startWorker(definition);
    await waitForCount(hub, 600);
    await again.stop();
    expect(sorted(received(hec, hub))).toEqual(range(0, 600)); // nothing lost, nothing twice after a graceful stop
    // Every event carries its coordinates: the partition, and its sequence number as the offset.
    const coordinates = hec.events
      .filter((e) => (e.fields as Record<string, unknown> | undefined)?.['kafka_topic'] === hub)
      .map((e) => {
        const fields = e.fields as Record<string, unknown>;
        return [(e.event as { seq: number }).seq, fields['kafka_partition'], fields['kafka_offset']];
      });
    const expected = range(0, 600).map((seq) => [
      seq,
      String(partitionOf(seq)),
      String(heldFrom(partitionOf(seq), 0, 600).indexOf(seq)),
    ]);
    expect(coordinates.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(expected);
  });

  it('reads over WebSockets (eventhubs.transport=websockets) what it reads over AMQP', async () => {
    const { peer, hec } = bed;
    const hub = uniqueName('eh');
    const name = uniqueName('ws');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    await produce(peer, hub, 0, 300);
    const before = peer.server.webSocketConnections;
    const definition = eventHubsConnector(bed, name, hub, {
      'eventhubs.transport': 'websockets',
      'eventhubs.endpoint.address': peer.webSocketEndpoint,
      'eventhubs.checkpoint.store': 'file',
      'eventhubs.checkpoint.file.path': `${bed.scratch.path}/${name}.json`,
    });
    const worker = await bed.startWorker(definition);
    await waitForCount(hub, 300);
    await worker.stop();
    expect(peer.server.webSocketConnections).toBeGreaterThan(before); // the AMQP port was never dialled
    expect(sorted(received(hec, hub))).toEqual(range(0, 300));
  });

  it('shares partitions between two workers through Azurite and loses nothing when one stops', async () => {
    const { peer, hec } = bed;
    const hub = uniqueName('eh');
    const name = uniqueName('blob');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    const container = uniqueName('checkpoints').toLowerCase();
    await BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(container)
      .create();
    const definition = eventHubsConnector(bed, name, hub, {
      'eventhubs.checkpoint.store': 'blob',
      'eventhubs.checkpoint.blob.connection.string': azurite.connectionString,
      'eventhubs.checkpoint.blob.container': container,
    });
    const one = await bed.startWorker(definition);
    const two = await bed.startWorker(definition);
    const receivers = (): number =>
      peer.server.receiverCount(hub, `logbridge-${name}`, '0') +
      peer.server.receiverCount(hub, `logbridge-${name}`, '1');
    await waitFor(() => receivers() === 2, 30_000, 'both partitions owned');
    await produce(peer, hub, 0, 400);
    await waitForCount(hub, 400);
    await one.stop();
    await produce(peer, hub, 400, 400);
    await waitFor(() => new Set(received(hec, hub)).size >= 800, 60_000, 'all 800 events at HEC');
    await two.stop();
    expect([...new Set(received(hec, hub))].sort((a, b) => a - b)).toEqual(range(0, 800));
  });
});

async function waitForCount(hub: string, count: number): Promise<void> {
  await waitFor(() => received(bed.hec, hub).length >= count, 60_000, `${count} events of ${hub} at HEC`);
}
