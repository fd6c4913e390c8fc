/**
 * The eventhubs source as operators run it, whole processes against the AMQP peer and Azurite:
 * - two replicas share an event hub's partitions through Blob ownership; one is SIGKILLed mid-stream and the other
 *   takes its partitions over once the ownership expires: nothing is lost;
 * - the Heavy Forwarder cut-over: `logbridge offsets import` of the MSCS add-on's checkpoint file, then `logbridge run`:
 *   no event up to the add-on's checkpoints reaches HEC, every later one does, once.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOnCheckpointFile } from '../fixtures/mscs/checkpoint-file.ts';
import type { HecServer } from '../support/hec/index.ts';
import { repoRoot } from '../support/paths.ts';
import { startLogbridge, shebangFlags, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { createScratchDir, type ScratchDir } from '../support/scratch.ts';
import { waitFor } from '../support/wait.ts';
import { countingHec, Deliveries, numbered, produceStream } from './delivery/setup.ts';
import { deliverySource, type DeliverySource } from './delivery/sources.ts';

const OWNERSHIP_EXPIRY_MS = 6000;
let source: DeliverySource;
let scratch: ScratchDir;
const hecs: HecServer[] = [];
const processes: RunningLogbridge[] = [];

beforeAll(async () => {
  source = await deliverySource('eventhubs');
  scratch = await createScratchDir('eventhubs-e2e');
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(hecs.map((h) => h.close()));
  await source.close();
  await scratch.remove();
});

describe('eventhubs replicas', () => {
  it('share the partitions through Blob ownership and lose nothing when one is SIGKILLed', async () => {
    const RECORDS = 60_000;
    const BUDGET = 5000;
    const stream = await source.stream(8);
    const deliveries = new Deliveries(RECORDS);
    const hec = await countingHec(deliveries);
    hecs.push(hec);
    const name = uniqueName('replicas');
    const connector = stream.connector(name, hec, { 'inflight.max.records': String(BUDGET) });
    const start = async (): Promise<RunningLogbridge> => {
      const running = await startLogbridge({ connectors: [connector], env: stream.env(hec) });
      processes.push(running);
      return running;
    };
    const [one, two] = await Promise.all([start(), start()]);
    const owners = async (): Promise<Map<number, string>> =>
      (await stream.owners?.(name, OWNERSHIP_EXPIRY_MS)) ?? new Map();
    await waitFor(
      async () => {
        const owned = await owners();
        return owned.size === 8 && new Set(owned.values()).size === 2;
      },
      60_000,
      'the 8 partitions shared by the two replicas',
    );
    const producing = produceStream((messages) => stream.produce(messages), RECORDS, {
      slice: 2000,
      pauseMs: 100,
    });
    await waitFor(() => deliveries.total >= RECORDS / 3, 120_000, 'a third of the events at HEC');
    expect((await one.kill()).signal).toBe('SIGKILL');
    const survivor = (await owners()).size;
    await waitFor(
      async () => {
        const owned = await owners();
        return owned.size === 8 && new Set(owned.values()).size === 1;
      },
      60_000,
      'the survivor to own every partition once the killed one expired',
    );
    expect(await producing).toBe(RECORDS);
    const ends = await stream.ends();
    await waitFor(
      async () => {
        const committed = await stream.committed(name);
        return Object.entries(ends).every(([p, end]) => (committed[Number(p)] ?? 0n) === end);
      },
      120_000,
      'the checkpoints to reach the ends',
    );
    console.log(
      `replicas test: ${deliveries.total} events for ${RECORDS} (${deliveries.total - RECORDS} duplicates), ` +
        `${survivor} partitions with a live owner right after the kill`,
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
    expect(deliveries.total - RECORDS).toBeLessThanOrEqual(BUDGET);
    expect((await two.stop()).code).toBe(0);
  });
});

describe('Heavy Forwarder cut-over', () => {
  it("continues after the add-on's checkpoints: nothing before them reaches HEC, everything after does, once", async () => {
    const PER_PARTITION = 1000;
    const stream = await source.stream(4);
    // Partition p holds seq p×1000 … p×1000+999 at sequence numbers 0 … 999.
    for (let p = 0; p < 4; p += 1) {
      const records = [...numbered(p * PER_PARTITION, (p + 1) * PER_PARTITION)].map((m) => ({
        ...m,
        partition: p,
      }));
      await stream.produce(records);
    }
    // The add-on processed up to these sequence numbers; partition 3 it never checkpointed (it starts at the start).
    const addOn = [
      { partition: 0, sequenceNumber: 299n, offset: '1' },
      { partition: 1, sequenceNumber: 0n, offset: '1' },
      { partition: 2, sequenceNumber: 998n, offset: '1' },
    ];
    const deliveries = new Deliveries(4 * PER_PARTITION);
    const hec = await countingHec(deliveries);
    hecs.push(hec);
    const name = uniqueName('cutover');
    const connector = stream.connector(name, hec);
    const connectorPath = `${scratch.path}/${name}.json`;
    await writeFile(connectorPath, JSON.stringify(connector, null, 2));
    const group = `logbridge-${name}`;
    const checkpointPath = `${scratch.path}/logbridge-test.servicebus.windows.net-${stream.topic}-${group}.v1.ckpt`;
    await writeFile(checkpointPath, addOnCheckpointFile({ checkpoints: addOn }));

    const env = { ...process.env, ...stream.env(hec), NO_COLOR: '1' };
    const cli = async (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
      promisify(execFile)(process.execPath, [...(await shebangFlags()), 'src/cli/main.ts', ...args], {
        cwd: repoRoot,
        env,
      });
    const dry = await cli('offsets', 'import', connectorPath, checkpointPath);
    expect(dry.stdout).toContain('MSCS add-on checkpoints of 3 partition(s)');
    const rows = dry.stdout.split('\n').filter((line) => line.startsWith(`${stream.topic} `));
    expect(rows.map((line) => line.split(/\s+/).slice(1, 7))).toEqual([
      ['0', '-', '300', '0', '1000', 'skipped'],
      ['1', '-', '1', '0', '1000', 'skipped'],
      ['2', '-', '999', '0', '1000', 'skipped'],
    ]);
    expect(dry.stderr).toContain('dry run: nothing changed');
    expect(dry.stderr).not.toContain('warning:'); // the fixture's ownerships are long expired
    const executed = await cli('offsets', 'import', connectorPath, checkpointPath, '--execute');
    expect(executed.stderr).toContain('done: the offsets of 3 partition(s)');

    const running = await startLogbridge({ connectors: [connector], env: stream.env(hec) });
    processes.push(running);
    const ends = await stream.ends();
    await waitFor(
      async () => {
        const committed = await stream.committed(name);
        return Object.entries(ends).every(([p, end]) => (committed[Number(p)] ?? 0n) === end);
      },
      60_000,
      'the checkpoints to reach the ends',
    );
    expect((await running.stop()).code).toBe(0);
    const expected = new Set<number>();
    const firstAfter = [300, 1, 999, 0];
    for (let p = 0; p < 4; p += 1) {
      for (let s = firstAfter[p] ?? 0; s < PER_PARTITION; s += 1) expected.add(p * PER_PARTITION + s);
    }
    const delivered = new Set<number>();
    const twice: number[] = [];
    for (const [seq, count] of deliveries.counts.entries()) {
      if (count > 0) delivered.add(seq);
      if (count > 1) twice.push(seq);
    }
    expect([...delivered].filter((seq) => !expected.has(seq))).toEqual([]); // nothing the add-on had
    expect([...expected].filter((seq) => !delivered.has(seq))).toEqual([]); // everything after it
    expect(twice).toEqual([]);
    expect(deliveries.total).toBe(expected.size);
  });
});
