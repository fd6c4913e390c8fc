/**
 * Graceful stop: SIGTERM under load drains what is in flight, commits and exits 0 within the drain timeout; a
 * restart then delivers no record twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, hecConnector, produceStream, secretsEnv } from './setup.ts';

const RECORDS = 60_000;
const DRAIN_MS = 30_000;
const kafka = kafkaPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
});

describe('graceful stop', () => {
  it('exits 0 within the drain timeout under load, and a restart delivers zero duplicates', async () => {
    const topic = await createTopic(kafka, { partitions: 4 });
    const deliveries = new Deliveries(RECORDS);
    // A slow HEC keeps batches in flight when SIGTERM arrives.
    hec = await countingHec(deliveries);
    hec.inject({ delayMs: 300 });
    const name = uniqueName('graceful');
    const connector = hecConnector(name, topic, kafka, hec, { 'drain.timeout.ms': String(DRAIN_MS) });
    const env = secretsEnv(kafka, hec);
    const producing = produceStream((messages) => produce(kafka, topic, messages), RECORDS, {
      slice: 2000,
      pauseMs: 100,
    });

    running = await startLogbridge({ connectors: [connector], env });
    await waitFor(() => deliveries.total >= 15_000, 120_000, 'delivery under load');
    const stopping = Date.now();
    const exit = await running.stop(DRAIN_MS + 15_000);
    const tookMs = Date.now() - stopping;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(DRAIN_MS + 10_000);
    const deliveredBeforeStop = deliveries.total;
    expect(deliveries.distinct).toBe(deliveredBeforeStop);

    hec.clearFaults();
    running = await startLogbridge({ connectors: [connector], env });
    expect(await producing).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );
    console.log(`graceful test: stop took ${tookMs} ms; ${deliveries.total} events for ${RECORDS} records`);
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.total).toBe(RECORDS);
    expect((await running.stop()).code).toBe(0);
  });
});
