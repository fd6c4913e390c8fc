/**
 * Rebalance under SIGKILL: three replicas share 8 partitions while records stream in; one is SIGKILLed mid-stream
 * (the group rebalances once its session expires), then a replacement joins (another rebalance). Each process
 * delivers to its own HEC server, so what the killed one delivered and never committed is known: nothing is lost,
 * that exposure is within the in-flight budget, and all duplicates stay within one budget per kill and per
 * rejoin of each member (every new generation starts again from what is committed).
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
import { joins, ProcessDeliveries } from './members.ts';
import { countingHec, Deliveries, hecConnector, produceStream, secretsEnv } from './setup.ts';

const RECORDS = 60_000;
const BUDGET = 5_000;
const kafka = kafkaPeer();
const servers: HecServer[] = [];
const processes: RunningLogbridge[] = [];

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(servers.map((s) => s.close()));
});

describe('rebalance under SIGKILL', () => {
  it('loses nothing when a replica is killed mid-stream and replaced, duplicates within the budget', async () => {
    const started = Date.now();
    const topic = await createTopic(kafka, { partitions: 8 });
    const name = uniqueName('rebalance-kill');
    const group = `logbridge-${name}`;
    const deliveries = new Deliveries(RECORDS);
    const members: { running: RunningLogbridge; delivered: ProcessDeliveries }[] = [];
    const startMember = async (): Promise<void> => {
      const delivered = new ProcessDeliveries();
      const hec = await countingHec(deliveries, {
        onEvent: (event) => {
          deliveries.record(event);
          delivered.record(event);
        },
      });
      servers.push(hec);
      const connector = hecConnector(name, topic, kafka, hec, { 'inflight.max.records': String(BUDGET) });
      const running = await startLogbridge({ connectors: [connector], env: secretsEnv(kafka, hec) });
      processes.push(running);
      members.push({ running, delivered });
    };

    await Promise.all([startMember(), startMember(), startMember()]);
    await waitFor(
      async () => (await groupMembers(kafka, group)).members.length === 3,
      60_000,
      'three members',
    );
    // About 2,500 records a second for 24 s: the kill lands while every member has records in flight.
    const producing = produceStream((messages) => produce(kafka, topic, messages), RECORDS, {
      slice: 500,
      pauseMs: 200,
    });
    await waitFor(() => deliveries.total >= 20_000, 120_000, 'delivery with three members');

    const victim = members[1];
    if (victim === undefined) throw new Error('no second member');
    expect((await victim.running.kill()).signal).toBe('SIGKILL');
    const exposure = victim.delivered.uncommitted(await committedOffsets(kafka, group, topic));
    await waitFor(
      async () => (await groupMembers(kafka, group)).members.length === 2,
      60_000,
      'the group to drop the killed member',
    );
    await startMember();
    await waitFor(
      async () => (await groupMembers(kafka, group)).members.length === 3,
      60_000,
      'the replacement',
    );

    expect(await producing).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      180_000,
      'committed offsets to reach the end offsets',
    );
    const joined = await Promise.all(members.map((m) => joins(m.running.logFile)));
    const rejoins = joined.reduce((sum, n) => sum + n - 1, 0);
    const duplicates = deliveries.total - RECORDS;
    console.log(
      `rebalance-kill test: ${deliveries.total} events for ${RECORDS} records (${duplicates} duplicates); ` +
        `delivered and uncommitted by the killed member: ${exposure} (budget ${BUDGET}); ` +
        `joins per member ${joined.join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
    expect(exposure).toBeLessThanOrEqual(BUDGET);
    expect(duplicates).toBeLessThanOrEqual((1 + rejoins) * BUDGET);
    for (const member of members.filter((m) => m !== victim))
      expect((await member.running.stop()).code).toBe(0);
  });
});
