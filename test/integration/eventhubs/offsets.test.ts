/**
 * The offsets tooling on the eventhubs source: positions are sequence numbers (the next event to read), kept as
 * the SDK's checkpoints in Azurite's Blob service or a local file. `logbridge offsets show | reset | export | import`
 * print a plan, change nothing without --execute, and refuse while an ownership is younger than the expiry (a
 * running or crashed replica); REST `GET | PATCH | DELETE /connectors/{name}/offsets` follow KIP-875. Each change is
 * checked by what the connector then delivers.
 */
import { dirname } from 'node:path';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, buildApi } from '../../../src/api/index.ts';
import { LogLevels } from '../../../src/cli/logger.ts';
import {
  OFFSETS_EXIT,
  offsetsExport,
  offsetsImport,
  offsetsReset,
  offsetsShow,
} from '../../../src/cli/offsets-actions.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { uniqueName } from '../../support/names.ts';
import { azuritePeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';
import { captureIo, connectorFile } from '../offsets/setup.ts';
import {
  type EventHubsTestbed,
  eventHubsConnector,
  heldFrom,
  produce,
  range,
  received,
  sorted,
  startTestbed,
} from './setup.ts';

const azurite = azuritePeer();
let bed: EventHubsTestbed;

beforeAll(async () => {
  bed = await startTestbed('eventhubs-offsets');
});
afterAll(async () => {
  await bed.close();
});

/** `offsets show` rows of a hub: partition → [committed, log start, log end, lag]. */
async function shown(file: string, hub: string): Promise<Record<string, string[]>> {
  const io = captureIo();
  expect(await offsetsShow(file, {}, io), io.text()).toBe(OFFSETS_EXIT.ok);
  const rows = io.stdout
    .join('\n')
    .split('\n')
    .filter((line) => line.startsWith(`${hub} `))
    .map((line) => line.split(/\s+/));
  const byPartition: Record<string, string[]> = {};
  for (const [, partition = '', ...rest] of rows) byPartition[partition] = rest.slice(0, 4);
  return byPartition;
}

async function blobContainer(): Promise<string> {
  const container = uniqueName('checkpoints').toLowerCase();
  await BlobServiceClient.fromConnectionString(azurite.connectionString)
    .getContainerClient(container)
    .create();
  return container;
}

describe('logbridge offsets on an eventhubs connector (Blob checkpoints)', () => {
  it('shows, plans, resets by time, exports and imports, and refuses while an ownership is live', async () => {
    const { peer, hec } = bed;
    const hub = uniqueName('eh');
    const name = uniqueName('cli');
    const group = `logbridge-${name}`;
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [group] });
    const container = await blobContainer();
    const definition = eventHubsConnector(bed, name, hub, {
      'eventhubs.checkpoint.store': 'blob',
      'eventhubs.checkpoint.blob.connection.string': azurite.connectionString,
      'eventhubs.checkpoint.blob.container': container,
    });
    const file = await connectorFile(bed.scratch, definition);
    await produce(peer, hub, 0, 400);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the wave below is enqueued strictly later
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await produce(peer, hub, 400, 200); // 400-499 to partition 0, 500-599 to partition 1

    const worker = await bed.startWorker(definition);
    await waitFor(() => received(hec, hub).length >= 600, 60_000, '600 events at HEC');
    await waitFor(
      async () =>
        JSON.stringify(await shown(file, hub)) ===
        JSON.stringify({ 0: ['300', '0', '300', '0'], 1: ['300', '0', '300', '0'] }),
      30_000,
      'checkpoints at 300 on both partitions',
    );

    // A running replica owns the partitions: refused, nothing changed.
    const running = captureIo();
    expect(await offsetsReset(file, { toEarliest: true, execute: true }, running)).toBe(
      OFFSETS_EXIT.groupActive,
    );
    expect(running.stdout.join('\n')).toMatch(
      new RegExp(`consumer group ${group}: Stable, 1 live member \\(.+ \\(partitions 0,1\\)\\)`),
    );
    expect(running.stderr.join('\n')).toContain('LB_OFFSETS_GROUP_ACTIVE');
    await worker.stop(); // a graceful stop gives the ownerships up

    // The dry run prints the plan and changes nothing.
    const dry = captureIo();
    expect(await offsetsReset(file, { toDatetime: between.toISOString() }, dry), dry.text()).toBe(
      OFFSETS_EXIT.ok,
    );
    expect(dry.stdout.join('\n')).toContain(`consumer group ${group}: Empty, no live member`);
    expect(dry.stdout.join('\n')).toMatch(new RegExp(`${hub}\\s+0\\s+300\\s+200\\s+0\\s+300`));
    expect(dry.stderr.join('\n')).toContain('dry run: nothing changed; add --execute to apply');
    expect((await shown(file, hub))['0']?.[0]).toBe('300');

    const saved = `${bed.scratch.path}/${name}-offsets.json`;
    expect(await offsetsExport(file, saved, {}, captureIo())).toBe(OFFSETS_EXIT.ok);
    const reset = captureIo();
    expect(
      await offsetsReset(file, { toDatetime: between.toISOString(), execute: true }, reset),
      reset.text(),
    ).toBe(OFFSETS_EXIT.ok);
    expect(await shown(file, hub)).toEqual({ 0: ['200', '0', '300', '100'], 1: ['200', '0', '300', '100'] });

    // The connector reads again exactly the events enqueued after the time.
    hec.clear();
    const again = await bed.startWorker(definition);
    await waitFor(() => received(hec, hub).length >= 200, 60_000, 'the 200 events after the time');
    await again.stop();
    expect(sorted(received(hec, hub))).toEqual(range(400, 600));

    // A replica that crashed keeps its ownership until the expiry (3 s here): refused, then allowed.
    const store = new BlobCheckpointStore(
      BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container),
    );
    const owned = await store.listOwnership(peer.host, hub, group);
    await store.claimOwnership(
      owned.filter((o) => o.partitionId === '1').map((o) => ({ ...o, ownerId: 'crashed-replica' })),
    );
    const crashed = captureIo();
    expect(await offsetsImport(file, saved, { execute: true }, crashed)).toBe(OFFSETS_EXIT.groupActive);
    expect(crashed.stdout.join('\n')).toContain('1 live member (crashed-replica (partitions 1))');
    expect(crashed.stderr.join('\n')).toContain('eventhubs.load.balancing.ownership.expiry.ms (3000 ms)');
    await waitFor(
      async () => (await offsetsImport(file, saved, { execute: true }, captureIo())) === OFFSETS_EXIT.ok,
      15_000,
      'the ownership to expire and the import to go through',
      500,
    );
    expect(await shown(file, hub)).toEqual({ 0: ['300', '0', '300', '0'], 1: ['300', '0', '300', '0'] });
  });
});

describe('REST offsets of an eventhubs connector (local file checkpoints)', () => {
  let worker: Worker;
  let api: ApiServer;
  let base: string;

  beforeAll(async () => {
    const levels = new LogLevels('warn', 'test');
    worker = new Worker(
      loadWorkerConfig(undefined, {
        LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS: `127.0.0.1,localhost,${bed.peer.host}`,
        LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: `${dirname(bed.peer.caFile)},${bed.scratch.path}`,
      }),
      levels.root,
    );
    api = buildApi({
      service: worker,
      workerId: 'test:8083',
      version: '0.0.0',
      registry: worker.registry,
      logger: levels.root,
      levels,
    });
    base = await api.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await worker.stop();
    await api.close();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const response = await request(base + path, {
      method: method as 'GET',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  async function stopped(name: string): Promise<void> {
    expect((await call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    // The stop answers at once (Kafka Connect's contract); started() waits for the instance to let go.
    await worker.slot(name).started();
    expect(worker.slot(name).instance).toBeUndefined();
  }

  it('reads sequence numbers, alters them only while STOPPED, and deletes the checkpoints', async () => {
    const { peer, hec } = bed;
    const hub = uniqueName('eh');
    const name = uniqueName('rest');
    peer.createEventHub(hub, { partitions: 2, consumerGroups: [`logbridge-${name}`] });
    await produce(peer, hub, 0, 400);
    const { config } = eventHubsConnector(bed, name, hub, {
      'eventhubs.checkpoint.store': 'file',
      'eventhubs.checkpoint.file.path': `${bed.scratch.path}/${name}.json`,
    });
    expect((await call('POST', '/connectors', { name, config })).status).toBe(201);
    const row = (partition: number, offset: number): unknown => ({
      partition: { kafka_topic: hub, kafka_partition: partition },
      offset: { kafka_offset: offset },
    });
    await waitFor(
      async () =>
        JSON.stringify((await call('GET', `/connectors/${name}/offsets`)).json) ===
        JSON.stringify({ offsets: [row(0, 200), row(1, 200)] }),
      60_000,
      'checkpoints at 200',
    );
    const rewind = { offsets: [row(0, 150)] };
    const whileRunning = await call('PATCH', `/connectors/${name}/offsets`, rewind);
    expect(whileRunning.status).toBe(400);
    expect((whileRunning.json as { message: string }).message).toMatch(
      /^Connectors must be in the STOPPED state/,
    );

    await stopped(name);
    expect(await call('PATCH', `/connectors/${name}/offsets`, rewind)).toEqual({
      status: 200,
      json: { message: 'The offsets for this connector have been altered successfully' },
    });
    expect((await call('GET', `/connectors/${name}/offsets`)).json).toEqual({
      offsets: [row(0, 150), row(1, 200)],
    });
    hec.clear();
    expect((await call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await waitFor(() => received(hec, hub).length >= 50, 60_000, 'the 50 events after sequence number 149');
    await stopped(name);
    expect(sorted(received(hec, hub))).toEqual(heldFrom(0, 150, 400));

    expect(await call('DELETE', `/connectors/${name}/offsets`)).toEqual({
      status: 200,
      json: { message: 'The offsets for this connector have been reset successfully' },
    });
    expect((await call('GET', `/connectors/${name}/offsets`)).json).toEqual({ offsets: [] });
    hec.clear();
    expect((await call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await waitFor(
      () => received(hec, hub).length >= 400,
      60_000,
      'every event again (eventhubs.start.position=earliest)',
    );
    await stopped(name);
    expect(sorted(received(hec, hub))).toEqual(range(0, 400));
  });
});
