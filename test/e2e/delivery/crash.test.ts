/**
 * Crash safety, for each source: 200,000 records on 8 partitions; logbridge is SIGKILLed at three random moments
 * mid-stream and restarted each time. Every record reaches HEC at least once, the duplicates of each run stay within
 * the in-flight budget, and the committed positions (Kafka offsets, Event Hubs checkpoints) end at the ends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { createScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, numbered } from './setup.ts';
import { deliverySource, type DeliverySource } from './sources.ts';

const RECORDS = 200_000;
const BUDGET = 10_000;
let source: DeliverySource | undefined;
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

describe.each(['kafka', 'eventhubs'] as const)('crash (source.type=%s)', (kind) => {
  afterAll(async () => {
    await running?.kill();
    running = undefined;
    await hec?.close();
    hec = undefined;
    await source?.close();
    source = undefined;
  });

  it('loses nothing across three SIGKILLs, duplicates per kill within the in-flight budget', async () => {
    const seed = Date.now();
    let state = seed;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kills = [random(), random(), random()]
      .map((r) => Math.floor(RECORDS * (0.1 + 0.7 * r)))
      .sort((a, b) => a - b);
    console.log(`crash test (${kind}): seed ${seed}, SIGKILL after ${kills.join(', ')} events at HEC`);

    source = await deliverySource(kind);
    const stream = await source.stream(8);
    await stream.produce(numbered(0, RECORDS));
    const ends = await stream.ends();
    const deliveries = new Deliveries(RECORDS);
    hec = await countingHec(deliveries);
    const name = uniqueName('crash');
    const connector = stream.connector(name, hec, { 'inflight.max.records': String(BUDGET) });
    const env = stream.env(hec);
    const scratch = await createScratchDir('logbridge');
    const start = (): Promise<RunningLogbridge> => startLogbridge({ connectors: [connector], env, scratch });

    const exposures: number[] = [];
    running = await start();
    for (const at of kills) {
      await waitFor(() => deliveries.total >= at, 120_000, `${at} events at HEC`);
      const exit = await running.kill();
      expect(exit.signal).toBe('SIGKILL');
      // What this run delivered and did not commit: the duplicates this kill causes.
      exposures.push(deliveries.uncommittedThisEpoch(await stream.committed(name)));
      deliveries.nextEpoch();
      running = await start();
    }
    await waitFor(
      async () => {
        const committed = await stream.committed(name);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      180_000,
      'committed positions to reach the ends',
    );
    const duplicates = deliveries.total - RECORDS;
    console.log(
      `crash test (${kind}): ${deliveries.total} events for ${RECORDS} records (${duplicates} duplicates); ` +
        `delivered and uncommitted at each kill: ${exposures.join(', ')} (budget ${BUDGET})`,
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
    for (const exposure of exposures) expect(exposure).toBeLessThanOrEqual(BUDGET);
    expect(duplicates).toBeLessThanOrEqual(kills.length * BUDGET);
    expect((await running.stop()).code).toBe(0);
  });
});
