/**
 * CRI reassembly through a real broker and the HEC test server with indexer acknowledgement: a 40 KiB line that
 * containerd split into three `P…F` fragments, fetched in two batches, reaches HEC as one event carrying the first
 * fragment's coordinates, and the committed offset never passes the first fragment until HEC acknowledged the line.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import type { Connector } from '../../../src/engine/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, produce, uniqueName } from '../../support/kafka/index.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';

const TOKEN = '7a7a7a7a-7a7a-4a7a-8a7a-7a7a7a7a7a7a';
const TAG = `kube.var.log.containers.export-0_shop_export-${'e'.repeat(64)}.log`;
const kafka = kafkaPeer();

let hec: HecServer;
let worker: Worker;

beforeAll(async () => {
  hec = await startHecServer({ tokens: { [TOKEN]: { ack: true } } });
  worker = new Worker(loadWorkerConfig(undefined, {}), pino({ level: 'silent' }));
});

afterAll(async () => {
  hec.setAck({ delayMs: 0 });
  hec.releaseAcks();
  await worker.stop();
  await hec.close();
});

/** A 40 KiB JSON line as containerd writes it: 16 KiB `P` fragments, then the `F` rest. */
function fragments(): { line: string; records: string[] } {
  const rows = Array.from({ length: 600 }, (_, i) => ({ id: i, sku: `SKU-${String(i).padStart(5, '0')}` }));
  const line = JSON.stringify({ msg: 'catalog export', rows }).padEnd(40 * 1024, ' ');
  const pieces = [line.slice(0, 16384), line.slice(16384, 32768), line.slice(32768)];
  const records = pieces.map(
    (piece, i) => `2024-11-24T08:16:02.30000000${i}Z stdout ${i < 2 ? 'P' : 'F'} ${piece}`,
  );
  return { line, records };
}

describe('cri reassembly with indexer acknowledgement', () => {
  it('delivers a line split in three fragments over two batches as one event, committing past it only once acked', async () => {
    const topic = await createTopic(kafka);
    const group = uniqueName('cri');
    const committed = async (): Promise<bigint> => (await committedOffsets(kafka, group, topic))[0] ?? 0n;
    const connector: Connector = await worker.start({
      name: uniqueName('cri'),
      config: {
        topics: topic,
        'kafka.bootstrap.servers': kafka.bootstrap,
        'kafka.group.id': group,
        'offset.flush.interval.ms': '250',
        'splunk.hec.uri': hec.url,
        'splunk.hec.token': TOKEN,
        'splunk.hec.ack.enabled': 'true',
        'splunk.hec.ack.poll.interval.ms': '50',
        'splunk.hec.linger.ms': '20',
        transforms: 'cri',
        'transforms.cri.type': 'cri',
      },
    });

    // Offset 0: a whole line, acknowledged at once, so the checkpoint stands at the first fragment (1).
    await produce(kafka, topic, [
      { key: TAG, value: '2024-11-24T08:16:00.000000000Z stdout F started', partition: 0 },
    ]);
    await waitFor(async () => (await committed()) === 1n, 30_000, 'the first line to be committed');

    hec.setAck({ delayMs: Infinity });
    const { line, records } = fragments();
    // First batch: the two P fragments (offsets 1, 2). They are held, not sent.
    await produce(
      kafka,
      topic,
      records.slice(0, 2).map((value) => ({ key: TAG, value, partition: 0 })),
    );
    await waitFor(() => connector.status().inFlight.unsettled === 2, 30_000, 'both P fragments to be read');
    const checkpoints = [await committed()];
    expect(hec.events).toHaveLength(1);

    // Second batch: the F fragment (offset 3) completes the line, which HEC receives but does not acknowledge.
    await produce(kafka, topic, [{ key: TAG, value: records[2] ?? '', partition: 0 }]);
    await hec.waitForEvents(2, 30_000);
    for (let i = 0; i < 8; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      checkpoints.push(await committed());
    }
    expect(checkpoints.every((offset) => offset === 1n)).toBe(true);

    hec.releaseAcks();
    await waitFor(async () => (await committed()) === 4n, 30_000, 'the whole line to be committed');
    expect(hec.events).toHaveLength(2);
    const [, reassembled] = hec.events;
    expect(reassembled?.event).toEqual({
      time: '2024-11-24T08:16:02.300000000Z',
      stream: 'stdout',
      logtag: 'F',
      log: line,
    });
    expect(reassembled?.fields).toMatchObject({
      kafka_topic: topic,
      kafka_partition: '0',
      kafka_offset: '1',
    });
  });
});
