/**
 * Rebalance: one process starts, two more join mid-stream, then one of them gets SIGTERM; records keep flowing the
 * whole time. Nothing is lost, and at the end the group's committed offsets are the end offsets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  endOffsets,
  groupMembers,
  produce,
} from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, hecConnector, produceStream, secretsEnv } from './setup.ts';

const RECORDS = 60_000;
const kafka = kafkaPeer();
let hec: HecServer | undefined;
const processes: RunningLogbridge[] = [];

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await hec?.close();
});

describe('rebalance', () => {
  it('loses nothing while members join and one leaves mid-stream', async () => {
    const topic = await createTopic(kafka, { partitions: 8 });
    const deliveries = new Deliveries(RECORDS);
    hec = await countingHec(deliveries);
    const name = uniqueName('rebalance');
    const group = `logbridge-${name}`;
    const connector = hecConnector(name, topic, kafka, hec, { 'inflight.max.records': '5000' });
    const env = secretsEnv(kafka, hec);
    const producing = produceStream((messages) => produce(kafka, topic, messages), RECORDS, {
      slice: 1000,
      pauseMs: 150,
    });

    processes.push(await startLogbridge({ connectors: [connector], env }));
    await waitFor(() => deliveries.total >= 8_000, 60_000, 'the first member to deliver');
    processes.push(await startLogbridge({ connectors: [connector], env }));
    processes.push(await startLogbridge({ connectors: [connector], env }));
    await waitFor(
      async () => (await groupMembers(kafka, group)).members.length === 3,
      60_000,
      'three members',
    );
    await waitFor(() => deliveries.total >= 30_000, 120_000, 'delivery with three members');
    const leaving = processes.splice(1, 1)[0];
    expect((await leaving?.stop())?.code).toBe(0);

    expect(await producing).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );
    console.log(`rebalance test: ${deliveries.total} events for ${RECORDS} records`);
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
  });
});
