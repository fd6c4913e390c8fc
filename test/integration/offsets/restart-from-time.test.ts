/**
 * The acceptance scenario of "restart from checkpoints": logbridge (a child process, Event Hubs-like SASL_SSL with a
 * connection string from the environment) delivers everything and stops; `logbridge offsets reset --to-datetime …
 * --execute` (the CLI as a child process, same connector file) moves the group to a time in the middle; logbridge
 * starts again, and the HEC server receives exactly the records from that time on, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHecServer, type HecServer } from '../../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  endOffsets,
  requireSasl,
  uniqueName,
} from '../../support/kafka/index.ts';
import { shebangFlags, startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { repoRoot } from '../../support/paths.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { spawnGuarded } from '../../support/process.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { expectedOffsetsAt, produceTimed } from './setup.ts';

const kafka = kafkaPeer();
const PARTITIONS = 4;
const RECORDS = 40;
let hec: HecServer;
let scratch: ScratchDir;
let logbridge: RunningLogbridge | undefined;

beforeAll(async () => {
  hec = await startHecServer();
  scratch = await createScratchDir('offsets-restart');
});
afterAll(async () => {
  await logbridge?.kill();
  await hec.close();
  await scratch.remove();
});

function seqs(server: HecServer): number[] {
  return server.events.map((e) => (e.event as { seq: number }).seq).sort((a, b) => a - b);
}

describe('reset by time, then restart', () => {
  it('consumes exactly from that time on', async () => {
    const sasl = requireSasl(kafka);
    const topic = await createTopic(kafka, { partitions: PARTITIONS });
    const t0 = Date.now() - 3_600_000;
    const records = await produceTimed(kafka, topic, {
      count: RECORDS,
      partitions: PARTITIONS,
      t0,
      stepMs: 1000,
    });
    const ends = await endOffsets(kafka, topic);
    const name = uniqueName('restart');
    const group = `logbridge-${name}`;
    const env = { EVENTHUBS_CONNECTION_STRING: sasl.connectionString, HEC_TOKEN: hec.token };
    const connector = {
      name,
      config: {
        topics: topic,
        'eventhubs.connection.string': '${env:EVENTHUBS_CONNECTION_STRING}',
        ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
        'splunk.hec.uri': hec.url,
        'splunk.hec.token': '${env:HEC_TOKEN}',
        'offset.flush.interval.ms': '500',
      },
    };
    const caughtUp = async (): Promise<void> => {
      await waitFor(
        async () => {
          const committed = await committedOffsets(kafka, group, topic);
          return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
        },
        60_000,
        'the committed offsets to reach the log end',
      );
    };

    logbridge = await startLogbridge({ connectors: [connector], env, scratch });
    await caughtUp();
    expect((await logbridge.stop()).code).toBe(0);
    logbridge = undefined;
    expect(seqs(hec)).toEqual(records.map((r) => r.seq));
    hec.clear();

    // Between the records of seq 17 and 18: partitions restart at seq 20, 21, 18 and 19.
    const at = new Date(t0 + 17_500);
    const cli = await spawnGuarded(
      process.execPath,
      [
        ...(await shebangFlags()),
        `${repoRoot}/src/cli/main.ts`,
        'offsets',
        'reset',
        `${scratch.path}/${name}.json`,
        '--to-datetime',
        at.toISOString(),
        '--execute',
      ],
      { cwd: repoRoot, env: { ...process.env, ...env } },
    );
    const exit = await cli.waitForExit(60_000);
    const output = `${cli.stdout}\n${cli.stderr}`;
    expect(exit.code, output).toBe(0);
    expect(cli.stdout).toContain(`consumer group ${group}: Empty, no live member`);
    expect(cli.stdout).toContain(
      `reset to the first record at or after ${at.toISOString()}: 4 of 4 partition(s) change`,
    );
    expect(cli.stderr).toContain(`done: the offsets of 4 partition(s) of group ${group} changed`);
    expect(output).not.toContain(sasl.connectionString);
    expect(output).not.toMatch(/SharedAccessKey=/);
    const expected = expectedOffsetsAt(records, PARTITIONS, at.getTime());
    expect(expected).toEqual({ 0: 5n, 1: 5n, 2: 4n, 3: 4n });
    expect(await committedOffsets(kafka, group, topic)).toEqual(expected);

    logbridge = await startLogbridge({ connectors: [connector], env, scratch });
    await caughtUp();
    expect((await logbridge.stop()).code).toBe(0);
    logbridge = undefined;
    const fromThen = records.filter((r) => r.timestampMs >= at.getTime()).map((r) => r.seq);
    expect(fromThen).toEqual(Array.from({ length: RECORDS - 18 }, (_, i) => 18 + i));
    expect(seqs(hec)).toEqual(fromThen);
  });
});
