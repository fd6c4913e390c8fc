/**
 * `logbridge replay` against the harness broker and the HEC test server, while the live connector runs: the
 * records whose timestamps fall in [T1, T2) reach HEC exactly once more, marked logbridge_replay, nothing outside
 * the window is re-sent, the live group's offsets do not move, and the temporary group is gone afterwards.
 */
import { writeFile } from 'node:fs/promises';
import { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { HecEvent, HecServer } from '../support/hec/index.ts';
import { startHecServer } from '../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  endOffsets,
  plaintextConfig,
  produce,
} from '../support/kafka/index.ts';
import { shebangFlags, startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { repoRoot } from '../support/paths.ts';
import { runGuarded } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';
import { hecConnector, secretsEnv } from './delivery/setup.ts';

const kafka = kafkaPeer();
/** Records per part: before the window, inside it, after it. */
const PER_PART = 300;
let hec: HecServer | undefined;
let live: RunningLogbridge | undefined;

afterAll(async () => {
  await live?.kill();
  await hec?.close();
});

describe('logbridge replay', () => {
  it('re-sends exactly the window [T1, T2) once more, marked, without moving the live offsets', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    const base = Date.now() - 3_600_000;
    const t1 = base + 60_000;
    const t2 = base + 120_000;
    const parts = [base, t1, t2];
    // Timestamps rise with seq: part 0 before T1, part 1 in [T1, T2), part 2 from T2 on (the first exactly at T2).
    await produce(
      kafka,
      topic,
      (function* () {
        for (let seq = 0; seq < 3 * PER_PART; seq += 1) {
          const part = Math.floor(seq / PER_PART);
          const timestamp = (parts[part] ?? 0) + ((seq % PER_PART) * 50_000) / PER_PART;
          yield {
            key: String(seq),
            value: JSON.stringify({ seq, log: `line ${seq}` }),
            partition: seq % 2,
            timestamp: String(Math.round(timestamp)),
          };
        }
      })(),
      { batchSize: 150 },
    );
    const received: HecEvent[] = [];
    hec = await startHecServer({ record: 'count', onEvent: (event) => received.push(event) });
    const name = uniqueName('replay');
    const connector = hecConnector(name, topic, kafka, hec);
    const env = secretsEnv(kafka, hec);
    live = await startLogbridge({ connectors: [connector], env });
    const ends = await endOffsets(kafka, topic);
    const liveGroup = `logbridge-${name}`;
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, liveGroup, topic);
        return [0, 1].every((p) => committed[p] === ends[p]);
      },
      60_000,
      'the live connector to commit every record',
    );
    expect(received).toHaveLength(3 * PER_PART);
    const before = await committedOffsets(kafka, liveGroup, topic);

    const file = `${live.scratch.path}/${name}.json`;
    await writeFile(file, JSON.stringify(connector));
    const iso = (ms: number): string => new Date(ms).toISOString();
    const { stdout, stderr } = await runGuarded(
      process.execPath,
      [
        ...(await shebangFlags()),
        `${repoRoot}/src/cli/main.ts`,
        'replay',
        file,
        '--from',
        iso(t1),
        '--to',
        iso(t2),
        '--json',
      ],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeoutMs: 120_000 },
    );
    const summary = JSON.parse(stdout) as {
      outcome: string;
      replayId: string;
      groupId: string;
      records: { total: number; replayed: number; skipped: number };
      delivered: Record<string, number>;
      groupDeleted: boolean;
    };
    expect(summary.outcome).toBe('done');
    expect(summary.records).toEqual({ total: PER_PART, replayed: PER_PART, skipped: 0 });
    expect(summary.delivered).toEqual({ 'splunk-hec': PER_PART });
    expect(stderr).toMatch(/\[#+\] 100% {2}300\/300 records/);

    await waitFor(() => received.length >= 4 * PER_PART, 10_000, 'the replayed events at HEC');
    const counts = new Map<number, { live: number; replayed: number }>();
    for (const event of received) {
      const seq = (event.event as { seq: number }).seq;
      const entry = counts.get(seq) ?? { live: 0, replayed: 0 };
      if (event.fields?.logbridge_replay === summary.replayId) entry.replayed += 1;
      else entry.live += 1;
      counts.set(seq, entry);
    }
    for (let seq = 0; seq < 3 * PER_PART; seq += 1) {
      const inWindow = seq >= PER_PART && seq < 2 * PER_PART;
      expect(counts.get(seq), `seq ${seq}`).toEqual({ live: 1, replayed: inWindow ? 1 : 0 });
    }
    expect(received).toHaveLength(4 * PER_PART);
    expect(await committedOffsets(kafka, liveGroup, topic)).toEqual(before);
    expect(summary.groupDeleted).toBe(true);
    const admin = new Kafka(plaintextConfig(kafka)).admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups.map((g) => g.groupId)).not.toContain(summary.groupId);
    } finally {
      await admin.disconnect();
    }
    expect((await live.stop()).code).toBe(0);
  });
});
