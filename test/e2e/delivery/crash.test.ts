/**
 * Crash safety: 200,000 records on 8 partitions; logbridge is SIGKILLed at three random moments mid-stream and
 * restarted each time. Every record reaches HEC at least once, the duplicates of each run stay within the in-flight
 * budget, and the committed offsets end at the end offsets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { createScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, hecConnector, numbered, secretsEnv } from './setup.ts';

const RECORDS = 200_000;
const BUDGET = 10_000;
const kafka = kafkaPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
});

describe('crash', () => {
  it('loses nothing across three SIGKILLs, duplicates per kill within the in-flight budget', async () => {
    const seed = Date.now();
    let state = seed;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kills = [random(), random(), random()]
      .map((r) => Math.floor(RECORDS * (0.1 + 0.7 * r)))
      .sort((a, b) => a - b);
    console.log(`crash test: seed ${seed}, SIGKILL after ${kills.join(', ')} events at HEC`);

    const topic = await createTopic(kafka, { partitions: 8 });
    await produce(kafka, topic, numbered(0, RECORDS));
    const ends = await endOffsets(kafka, topic);
    const deliveries = new Deliveries(RECORDS);
    hec = await countingHec(deliveries);
    const name = uniqueName('crash');
    const connector = hecConnector(name, topic, kafka, hec, { 'inflight.max.records': String(BUDGET) });
    const scratch = await createScratchDir('logbridge');
    const start = (): Promise<RunningLogbridge> =>
      startLogbridge({ connectors: [connector], env: secretsEnv(kafka, hec as HecServer), scratch });

    const exposures: number[] = [];
    running = await start();
    for (const at of kills) {
      await waitFor(() => deliveries.total >= at, 120_000, `${at} events at HEC`);
      const exit = await running.kill();
      expect(exit.signal).toBe('SIGKILL');
      // What this run delivered and did not commit: the duplicates this kill causes.
      exposures.push(
        deliveries.uncommittedThisEpoch(await committedOffsets(kafka, `logbridge-${name}`, topic)),
      );
      deliveries.nextEpoch();
      running = await start();
    }
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      180_000,
      'committed offsets to reach the end offsets',
    );
    const duplicates = deliveries.total - RECORDS;
    console.log(
      `crash test: ${deliveries.total} events for ${RECORDS} records (${duplicates} duplicates); ` +
        `delivered and uncommitted at each kill: ${exposures.join(', ')} (budget ${BUDGET})`,
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
    for (const exposure of exposures) expect(exposure).toBeLessThanOrEqual(BUDGET);
    expect(duplicates).toBeLessThanOrEqual(kills.length * BUDGET);
    expect((await running.stop()).code).toBe(0);
  });
});
