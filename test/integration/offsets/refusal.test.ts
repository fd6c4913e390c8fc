/**
 * Offsets never change while the consumer group has a live member: a real logbridge connector runs in-process
 * (HEC test server as its sink), and the CLI and the module refuse, naming the group and its members, and change
 * nothing. Once the connector stops, the same command goes through.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFSETS_EXIT, offsetsReset } from '../../../src/cli/offsets-actions.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { applyPlan, deleteGroupOffsets, GroupActiveError, planReset } from '../../../src/offsets/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  groupMembers,
  produce,
  uniqueName,
} from '../../support/kafka/index.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { captureIo, clientFor, connectorFile } from './setup.ts';

const kafka = kafkaPeer();
let scratch: ScratchDir;
let hec: HecServer;
let worker: Worker | undefined;

beforeAll(async () => {
  scratch = await createScratchDir('offsets-refusal');
  hec = await startHecServer();
});
afterAll(async () => {
  await worker?.stop();
  await hec.close();
  await scratch.remove();
});

describe('offsets changes while the connector runs', () => {
  it('are refused with exit code 4, naming the group and its member, and change nothing', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    await produce(
      kafka,
      topic,
      Array.from({ length: 20 }, (_, i) => ({ value: `{"n":${i}}`, partition: i % 2 })),
    );
    const name = uniqueName('running');
    const group = `logbridge-${name}`;
    const connector = {
      name,
      config: {
        topics: topic,
        'kafka.bootstrap.servers': kafka.bootstrap,
        'splunk.hec.uri': hec.url,
        'splunk.hec.token': hec.token,
        'offset.flush.interval.ms': '250',
      },
    };
    const file = await connectorFile(scratch, connector);
    worker = new Worker(loadWorkerConfig(undefined, {}), pino({ level: 'silent' }));
    await worker.start(connector);
    await waitFor(
      async () => {
        const offsets = await committedOffsets(kafka, group, topic);
        return offsets[0] === 10n && offsets[1] === 10n;
      },
      60_000,
      'the connector to commit everything',
    );
    const members = await groupMembers(kafka, group);
    expect(members.members).toHaveLength(1);

    for (const execute of [true, false]) {
      const io = captureIo();
      expect(await offsetsReset(file, { toEarliest: true, execute }, io)).toBe(OFFSETS_EXIT.groupActive);
      expect(io.stdout.join('\n')).toContain(`consumer group ${group}: Stable, 1 live member`);
      const error = io.stderr.join('\n');
      expect(error).toContain(
        `LB_OFFSETS_GROUP_ACTIVE: Failed to alter consumer group offsets for connector ${name}`,
      );
      expect(error).toContain(`the consumer group ${group} still has 1 live member`);
      expect(error).toContain(`PUT /connectors/${name}/stop`);
      expect(error).not.toContain('dry run');
    }
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 10n, 1: 10n });

    const client = clientFor(connector);
    const plan = await planReset(client, { groupId: group, topics: [topic] }, { to: 'earliest' });
    const refusal = await applyPlan(client, plan, { connector: name }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(GroupActiveError);
    expect(refusal).toMatchObject({
      code: 'LB_OFFSETS_GROUP_ACTIVE',
      activity: { groupId: group, members: 1 },
    });
    await expect(deleteGroupOffsets(client, group, [topic])).rejects.toThrow(GroupActiveError);
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 10n, 1: 10n });

    await worker.stop();
    worker = undefined;
    const io = captureIo();
    expect(await offsetsReset(file, { toEarliest: true, execute: true }, io), io.text()).toBe(
      OFFSETS_EXIT.ok,
    );
    expect(io.stdout.join('\n')).toContain(`consumer group ${group}: Empty, no live member`);
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 0n, 1: 0n });
  });
});
