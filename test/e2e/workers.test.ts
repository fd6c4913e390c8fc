/**
 * workers=2: `logbridge run` starts a member process that joins each Kafka-source connector's group beside the
 * primary. The test checks with Kafka that the two are members sharing the partitions, with HEC that every record
 * arrived, and with the REST API that status shows both tasks and /metrics counts what both read. A member killed
 * with SIGKILL is started again and rejoins; after a SIGTERM the primary waits for its member and both exit; a member
 * whose primary was SIGKILLed stops on its own.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, groupMembers, produce } from '../support/kafka/index.ts';
import { logLines, startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';
import { countingHec, Deliveries, hecConnector, numbered, secretsEnv } from './delivery/setup.ts';

const kafka = kafkaPeer();
const running: RunningLogbridge[] = [];
let hec: HecServer | undefined;

afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
  await hec?.close();
});

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
  logbridge: { partitions: { partition: number; assigned_here: boolean }[] };
}

/** True while `pid` runs (a zombie no parent reaped yet has exited). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of the member processes the primary logged as started, in order. */
async function memberPids(logFile: string): Promise<number[]> {
  return (await logLines(logFile))
    .filter((line) => line.msg === 'member process started')
    .map((line) => Number(line.pid));
}

/** Sum of a counter's samples for one connector in a /metrics text. */
function counterSum(metrics: string, name: string, connector: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(`connector="${connector}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

async function allCommitted(group: string, topic: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([
    endOffsets(kafka, topic),
    committedOffsets(kafka, group, topic),
  ]);
  return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
}

describe('workers=2', () => {
  it('shares the partitions between two processes of one group behind one REST API', async () => {
    const topic = await createTopic(kafka, { partitions: 4 });
    const deliveries = new Deliveries(6000);
    hec = await countingHec(deliveries);
    const name = uniqueName('workers');
    const group = `logbridge-${name}`;
    const logbridge = await startLogbridge({
      connectors: [hecConnector(name, topic, kafka, hec)],
      env: { ...secretsEnv(kafka, hec), LOGBRIDGE_WORKERS: '2', LOGBRIDGE_WORKER_ID: 'w' },
    });
    running.push(logbridge);

    await waitFor(
      async () => {
        const { members } = await groupMembers(kafka, group);
        return members.length === 2 && members.every((m) => (m.assignment[topic]?.length ?? 0) === 2);
      },
      60_000,
      'two members of the group with two partitions each',
    );
    await waitFor(
      async () => {
        const status = await logbridge.get<Status>(`/connectors/${name}/status`);
        return status.tasks.length === 2 && status.tasks.every((t) => t.state === 'RUNNING');
      },
      30_000,
      'both tasks RUNNING in status',
    );
    const status = await logbridge.get<Status>(`/connectors/${name}/status`);
    expect(status.tasks.map((t) => [t.id, t.worker_id])).toEqual([
      [0, 'w'],
      [1, 'w-member-1'],
    ]);
    expect(await logbridge.get<unknown[]>(`/connectors/${name}/tasks`)).toHaveLength(2);

    await produce(kafka, topic, numbered(0, 4000));
    await waitFor(() => allCommitted(group, topic), 60_000, 'the first 4000 records committed');
    expect(deliveries.missing(4000)).toEqual([]);
    // Each process tracks the partitions it read; status shows them all as this worker's (a member's part is
    // at most a second old).
    await waitFor(
      async () => {
        const { logbridge: view } = await logbridge.get<Status>(`/connectors/${name}/status`);
        return view.partitions.length === 4 && view.partitions.every((p) => p.assigned_here);
      },
      10_000,
      'every partition assigned here in status',
    );
    // Records read by both processes, counted once each, in one scrape of the primary.
    await waitFor(
      async () =>
        counterSum(await logbridge.metrics(), 'logbridge_records_received_total', name) === deliveries.total,
      10_000,
      'records_received_total of both processes equal to what HEC received',
    );

    // A member that dies is started again and takes its partitions back.
    const [first] = await memberPids(logbridge.logFile);
    expect(first).toBeDefined();
    process.kill(first ?? -1, 'SIGKILL');
    await waitFor(
      async () => (await memberPids(logbridge.logFile)).length === 2,
      30_000,
      'the member restarted',
    );
    await waitFor(
      async () => (await groupMembers(kafka, group)).members.length === 2,
      60_000,
      'the restarted member in the group',
    );
    await produce(kafka, topic, numbered(4000, 6000));
    await waitFor(() => allCommitted(group, topic), 60_000, 'every record committed after the restart');
    expect(deliveries.missing()).toEqual([]);

    // Offsets change once STOPPED: the call waits until the member stopped the connector too (left the group).
    const { request } = await import('undici');
    const call = async (method: 'PUT' | 'DELETE', path: string): Promise<number> => {
      const response = await request(`${logbridge.restUrl}${path}`, { method });
      await response.body.dump();
      return response.statusCode;
    };
    expect(await call('PUT', `/connectors/${name}/stop`)).toBe(204);
    await waitFor(
      async () => (await logbridge.get<Status>(`/connectors/${name}/status`)).connector.state === 'STOPPED',
      30_000,
      'STOPPED in status',
    );
    expect(await call('DELETE', `/connectors/${name}/offsets`)).toBe(200);
    expect(await committedOffsets(kafka, group, topic)).toEqual({});

    // SIGTERM: the primary stops its member, both drain and leave the group.
    const [, second] = await memberPids(logbridge.logFile);
    expect((await logbridge.stop()).code).toBe(0);
    expect(alive(second ?? -1)).toBe(false);
    expect((await groupMembers(kafka, group)).members).toEqual([]);
    const lines = await logLines(logbridge.logFile);
    expect(lines.some((l) => String(l.msg).startsWith('member stopped') && l.worker === 'w-member-1')).toBe(
      true,
    );
  });

  it('stops a member whose primary was killed', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    const deliveries = new Deliveries(10);
    const hec2 = await countingHec(deliveries);
    try {
      const name = uniqueName('orphan');
      const logbridge = await startLogbridge({
        connectors: [hecConnector(name, topic, kafka, hec2)],
        env: { ...secretsEnv(kafka, hec2), LOGBRIDGE_WORKERS: '2' },
      });
      running.push(logbridge);
      await waitFor(
        async () => (await groupMembers(kafka, `logbridge-${name}`)).members.length === 2,
        60_000,
        'two members in the group',
      );
      const [member] = await memberPids(logbridge.logFile);
      await logbridge.kill();
      await waitFor(() => !alive(member ?? -1), 40_000, 'the member to exit after its primary was killed');
      const lines = await logLines(logbridge.logFile);
      expect(
        lines.some(
          (l) => String(l.msg).startsWith('member stopping') && l.why === 'the primary process is gone',
        ),
      ).toBe(true);
    } finally {
      await hec2.close();
    }
  });
});
