/**
 * The eventhubs source end to end in-process: a Worker reads the AMQP peer (produced into with the SDK's own
 * producer) and delivers to the HEC test server; checkpoints land in a local file or in Azurite's Blob service, and
 * a restart resumes from them; two workers sharing partitions through Azurite deliver everything once between them;
 * `logbridge offsets show|reset` read and move those checkpoints.
 */
import { readFile } from 'node:fs/promises';
import { EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFSETS_EXIT, offsetsReset, offsetsShow } from '../../../src/cli/offsets-actions.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { type EventHubsPeer, startEventHubsPeer, trustCertificate } from '../../support/eventhubs/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { uniqueName } from '../../support/names.ts';
import { azuritePeer } from '../../support/peers.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { captureIo, connectorFile } from '../offsets/setup.ts';

const azurite = azuritePeer();
let peer: EventHubsPeer;
let hec: HecServer;
let scratch: ScratchDir;
const workers: Worker[] = [];

beforeAll(async () => {
  // The test's own producer needs the CA too; the worker here shares this process, so eventhubs.ssl.ca.location
  // is exercised by the e2e tests (a child process).
  peer = await startEventHubsPeer();
  trustCertificate(peer.caPem);
  [hec, scratch] = await Promise.all([startHecServer(), createScratchDir('eventhubs-source')]);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop().catch(() => undefined);
  await Promise.all([peer.close(), hec.close(), scratch.remove()]);
});

async function produce(hub: string, from: number, count: number): Promise<void> {
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

/** Events are produced in chunks of 100, alternating between partitions 0 and 1. */
function partitionOf(seq: number): number {
  return Math.floor(seq / 100) % 2;
}

/** The seq values a partition holds from sequence number `from` on, of the first `count` produced. */
function heldFrom(partition: number, from: number, count: number): number[] {
  return range(0, count)
    .filter((seq) => partitionOf(seq) === partition)
    .slice(from);
}

/** The seq of every event HEC received for `hub`. */
function received(hub: string): number[] {
  return hec.events
    .filter((e) => (e.fields as Record<string, unknown> | undefined)?.['kafka_topic'] === hub)
    .map((e) => (e.event as { seq: number }).seq);
}

function connector(
  name: string,
  hub: string,
  store: Record<string, string>,
): { name: string; config: Record<string, string> } {
  return {
    name,
    config: {
      'source.type': 'eventhubs',
      topics: hub,
      'eventhubs.connection.string': peer.connectionString(),
      'eventhubs.endpoint.address': peer.endpoint,
      'eventhubs.ssl.ca.location': peer.caFile,
      'eventhubs.load.balancing.update.interval.ms': '500',
      'eventhubs.load.balancing.ownership.expiry.ms': '3000',
      'eventhubs.max.wait.time.seconds': '1',
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': hec.token,
      'offset.flush.interval.ms': '250',
      ...store,
    },
  };
}

async function startWorker(definition: { name: string; config: Record<string, string> }): Promise<Worker> {
  const worker = new Worker(loadWorkerConfig(undefined, {}), pino({ level: 'silent' }));
  workers.push(worker);
  await worker.start(definition);
  return worker;
}

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('the eventhubs source', () => {
  it('delivers every event, checkpoints the watermark in a local file, and resumes from it', async () => {
    const hub = uniqueName('eh');
    const name = uniqueName('file');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    await produce(hub, 0, 400);
    const path = `${scratch.path}/${name}.json`;
    const definition = connector(name, hub, {
      'eventhubs.checkpoint.store': 'file',
      'eventhubs.checkpoint.file.path': path,
    });
    const worker = await startWorker(definition);
    await waitFor(() => received(hub).length >= 400, 60_000, '400 events at HEC');
    await worker.stop();
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      checkpoints: { partitionId: string; sequenceNumber: number }[];
    };
    expect(file.checkpoints.map((c) => [c.partitionId, c.sequenceNumber]).sort()).toEqual([
      ['0', 199],
      ['1', 199],
    ]);

    await produce(hub, 400, 200);
    const again = await startWorker(definition);
    await waitFor(() => received(hub).length >= 600, 60_000, '600 events at HEC');
    await again.stop();
    expect(sorted(received(hub))).toEqual(range(0, 600)); // nothing lost, nothing twice after a graceful stop
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

  it('shares partitions between two workers through Azurite and loses nothing when one stops', async () => {
    const hub = uniqueName('eh');
    const name = uniqueName('blob');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    const container = uniqueName('checkpoints').toLowerCase();
    await BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(container)
      .create();
    const definition = connector(name, hub, {
      'eventhubs.checkpoint.store': 'blob',
      'eventhubs.checkpoint.blob.connection.string': azurite.connectionString,
      'eventhubs.checkpoint.blob.container': container,
    });
    const one = await startWorker(definition);
    const two = await startWorker(definition);
    await waitFor(
      () =>
        peer.server.receiverCount(hub, `logbridge-${name}`, '0') +
          peer.server.receiverCount(hub, `logbridge-${name}`, '1') ===
        2,
      30_000,
      'both partitions owned',
    );
    await produce(hub, 0, 400);
    await waitFor(() => received(hub).length >= 400, 60_000, '400 events at HEC');
    await one.stop();
    await produce(hub, 400, 400);
    await waitFor(() => new Set(received(hub)).size >= 800, 60_000, 'all 800 events at HEC');
    await two.stop();
    expect([...new Set(received(hub))].sort((a, b) => a - b)).toEqual(range(0, 800));

    const file = await connectorFile(scratch, definition);
    const io = captureIo();
    const shown = await offsetsShow(file, {}, io);
    expect(shown, io.text()).toBe(OFFSETS_EXIT.ok);
    expect(io.text()).toContain(`consumer group logbridge-${name}`);
    expect(io.text()).toMatch(new RegExp(`${hub}\\s+0\\s+400\\s+0\\s+400\\s+0`));
    const reset = captureIo();
    expect(await offsetsReset(file, { toOffset: '150', partition: ['0'], execute: true }, reset)).toBe(
      OFFSETS_EXIT.ok,
    );
    const after = captureIo();
    await offsetsShow(file, {}, after);
    expect(after.text()).toMatch(new RegExp(`${hub}\\s+0\\s+150\\s+0\\s+400\\s+250`));
    hec.clear();
    const three = await startWorker(definition);
    await waitFor(() => received(hub).length >= 250, 60_000, 'the 250 events after the reset');
    await three.stop();
    expect(sorted(received(hub))).toEqual(heldFrom(0, 150, 800));
  });
});
