/**
 * Eviction with a CRI chain: two members share 2 partitions of CRI lines, each line a `P` fragment in one round
 * and its `F` rest in the next, so every member always holds fragments. Member A is SIGSTOPped past
 * `kafka.session.timeout.ms` while B takes both partitions over and goes on; B then stops (committing its
 * progress), and A is SIGCONTed: it wakes with stale fragments and a stale watermark of the partition it had, and
 * rejoins alone on UNKNOWN_MEMBER_ID, getting that partition back. Committed offsets (polled every 250 ms) never go
 * back, and HEC receives every line whole and nothing else: no stale fragment glued onto a later line.
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
import { CommitWatch, criLine, type CriLine, joins, LineDeliveries } from './members.ts';
import { countingHec, Deliveries, hecConnector, secretsEnv } from './setup.ts';

const SOURCES = ['web-1', 'web-2'];
const kafka = kafkaPeer();
let hec: HecServer | undefined;
const processes: RunningLogbridge[] = [];

afterAll(async () => {
  for (const p of processes) p.process.kill('SIGCONT');
  await Promise.all(processes.map((p) => p.kill()));
  await hec?.close();
});

describe('eviction', () => {
  it('a member stalled past its session rejoins without stale fragments or commits', async () => {
    const started = Date.now();
    const topic = await createTopic(kafka, { partitions: 2 });
    const name = uniqueName('eviction');
    const group = `logbridge-${name}`;
    const lines = new LineDeliveries();
    hec = await countingHec(new Deliveries(0), {
      onEvent: (event) => {
        lines.record(event);
      },
    });
    const connector = hecConnector(name, topic, kafka, hec, {
      transforms: 'cri',
      'transforms.cri.type': 'cri',
    });
    const env = secretsEnv(kafka, hec);
    const a = await startLogbridge({ connectors: [connector], env });
    const b = await startLogbridge({ connectors: [connector], env });
    processes.push(a, b);
    await waitFor(async () => (await groupMembers(kafka, group)).members.length === 2, 60_000, 'two members');
    const watch = new CommitWatch(kafka, group, topic);

    // Each round: the F rest of every source's open line, then the P fragment of its next line, on both partitions.
    const sent: CriLine[] = [];
    let open: CriLine[] = [];
    let rounds = 0;
    const round = async (last = false): Promise<void> => {
      const next = last
        ? []
        : [0, 1].flatMap((partition) =>
            SOURCES.map((key) =>
              criLine(`${String(partition)}-${key}-${String(rounds)}`, key, partition, 6000, 4096),
            ),
          );
      const records = [
        ...open.map((l) => ({ l, text: l.records[1] ?? '' })),
        ...next.map((l) => ({ l, text: l.records[0] ?? '' })),
      ];
      await produce(
        kafka,
        topic,
        records.map(({ l, text }) => ({ key: l.key, partition: l.partition, value: text })),
      );
      sent.push(...open);
      open = next;
      rounds += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    };
    while (rounds < 20) await round();
    await waitFor(() => lines.total >= 30, 30_000, 'lines through both members');
    a.process.kill('SIGSTOP');
    // Past the 6 s session: the coordinator expires the member, the other one takes both partitions over.
    const stoppedAt = Date.now();
    while (Date.now() - stoppedAt < 12_000) await round();
    expect((await groupMembers(kafka, group)).members.length).toBe(1);
    await round();
    expect((await b.stop()).code).toBe(0);
    a.process.kill('SIGCONT');
    const woken = rounds;
    while (rounds < woken + 30) await round();
    await round(true);
    await waitFor(async () => (await groupMembers(kafka, group)).members.length === 1, 60_000, 'the rejoin');

    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );
    watch.stop();
    console.log(
      `eviction test: ${lines.total} events for ${sent.length} lines, ${watch.polls} offset polls, ` +
        `member A joined ${await joins(a.logFile)} times; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(watch.regressions).toEqual([]);
    expect(lines.foreign(sent)).toEqual([]);
    expect(lines.missing(sent)).toEqual([]);
    expect(lines.partial).toBe(0);
    expect(await joins(a.logFile)).toBeGreaterThanOrEqual(2);
    expect((await a.stop()).code).toBe(0);
  });
});
