/**
 * `logbridge offsets show` and `reset` against the real broker, in-process: every way to reset, the dry run that
 * changes nothing, the exact offsets a reset by time gives, clamping, selection, and the module's KIP-875 operations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFSETS_EXIT, offsetsReset, offsetsShow } from '../../../src/cli/offsets-actions.ts';
import {
  applyPlan,
  deleteGroupOffsets,
  describeGroupOffsets,
  planReset,
} from '../../../src/offsets/index.ts';
import { committedOffsets, createTopic, produce, uniqueName } from '../../support/kafka/index.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import {
  captureIo,
  clientFor,
  commitOffsets,
  connectorFile,
  expectedOffsetsAt,
  produceTimed,
  type TestConnector,
} from './setup.ts';

const kafka = kafkaPeer();
let scratch: ScratchDir;

beforeAll(async () => {
  scratch = await createScratchDir('offsets-reset');
});
afterAll(async () => {
  await scratch.remove();
});

/** A fresh topic with `perPartition` records in each of 3 partitions, and a connector on it with its own group. */
async function fixture(
  perPartition = 10,
): Promise<{ topic: string; group: string; connector: TestConnector; file: string }> {
  const topic = await createTopic(kafka, { partitions: 3 });
  await produce(
    kafka,
    topic,
    Array.from({ length: 3 * perPartition }, (_, i) => ({ value: `{"n":${i}}`, partition: i % 3 })),
  );
  const group = uniqueName('offsets');
  const connector = {
    name: uniqueName('conn'),
    config: { topics: topic, 'kafka.bootstrap.servers': kafka.bootstrap, 'kafka.group.id': group },
  };
  return { topic, group, connector, file: await connectorFile(scratch, connector) };
}

describe('logbridge offsets show', () => {
  it('prints committed, log start and end, and lag per partition', async () => {
    const { topic, group, file } = await fixture();
    await commitOffsets(kafka, group, topic, { 0: 4n, 2: 10n });
    const io = captureIo();
    expect(await offsetsShow(file, {}, io)).toBe(OFFSETS_EXIT.ok);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines[0]).toBe(`consumer group ${group}: Empty, no live member`);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 6))).toEqual([
      [topic, '0', '4', '0', '10', '6'],
      [topic, '1', '-', '0', '10', '10'],
      [topic, '2', '10', '0', '10', '0'],
    ]);

    const json = captureIo();
    expect(await offsetsShow(file, { json: true }, json)).toBe(OFFSETS_EXIT.ok);
    const shown = JSON.parse(json.stdout.join('')) as { state: string; partitions: unknown[] };
    expect(shown.state).toBe('Empty');
    expect(shown.partitions[1]).toEqual({
      topic,
      partition: 1,
      committed: null,
      log_start: 0,
      log_end: 10,
      lag: 10,
      committed_above_end: false,
    });
  });
});

describe('logbridge offsets reset', () => {
  it('prints the plan and changes nothing without --execute', async () => {
    const { topic, group, file } = await fixture();
    await commitOffsets(kafka, group, topic, { 0: 4n, 1: 5n, 2: 6n });
    const io = captureIo();
    expect(await offsetsReset(file, { toEarliest: true }, io)).toBe(OFFSETS_EXIT.ok);
    expect(io.text()).toContain('reset to the earliest offset (log start): 3 of 3 partition(s) change');
    expect(io.stderr).toContain('dry run: nothing changed; add --execute to apply');
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 4n, 1: 5n, 2: 6n });
  });

  it('resets to earliest, latest, an offset (clamped) and by a shift, with --execute', async () => {
    const { topic, group, file } = await fixture();
    await commitOffsets(kafka, group, topic, { 0: 4n, 1: 5n });
    const run = async (options: Parameters<typeof offsetsReset>[1]): Promise<Record<number, bigint>> => {
      const io = captureIo();
      expect(await offsetsReset(file, { ...options, execute: true }, io), io.text()).toBe(OFFSETS_EXIT.ok);
      return { ...(await committedOffsets(kafka, group, topic)) };
    };
    expect(await run({ toLatest: true })).toEqual({ 0: 10n, 1: 10n, 2: 10n });
    expect(await run({ toEarliest: true })).toEqual({ 0: 0n, 1: 0n, 2: 0n });
    expect(await run({ toOffset: '7' })).toEqual({ 0: 7n, 1: 7n, 2: 7n });
    expect(await run({ shiftBy: '-3' })).toEqual({ 0: 4n, 1: 4n, 2: 4n });
    expect(await run({ shiftBy: '+100', partition: ['1'] })).toEqual({ 0: 4n, 1: 10n, 2: 4n });

    const io = captureIo();
    expect(await offsetsReset(file, { toOffset: '25', json: true, partition: ['0', '2'] }, io)).toBe(
      OFFSETS_EXIT.ok,
    );
    const plan = JSON.parse(io.stdout.join('')) as {
      executed: boolean;
      partitions: { target: number; note: string }[];
    };
    expect(plan.executed).toBe(false);
    expect(plan.partitions.map((p) => [p.target, p.note])).toEqual([
      [10, '25 is past the log end 10: clamped'],
      [10, '25 is past the log end 10: clamped'],
    ]);
  });

  it('resets to a datetime: exactly the first record at or after it, per partition', async () => {
    const topic = await createTopic(kafka, { partitions: 4 });
    const t0 = Date.now() - 3_600_000;
    const records = await produceTimed(kafka, topic, { count: 30, partitions: 4, t0, stepMs: 1000 });
    const group = uniqueName('by-time');
    const connector = {
      name: uniqueName('conn'),
      config: { topics: topic, 'kafka.bootstrap.servers': kafka.bootstrap, 'kafka.group.id': group },
    };
    const file = await connectorFile(scratch, connector);
    for (const atMs of [t0 + 14_500, t0 + 21_000, t0 - 60_000, t0 + 60_000]) {
      const io = captureIo();
      const at = new Date(atMs).toISOString();
      expect(await offsetsReset(file, { toDatetime: at, execute: true }, io), io.text()).toBe(
        OFFSETS_EXIT.ok,
      );
      expect(await committedOffsets(kafka, group, topic)).toEqual(expectedOffsetsAt(records, 4, atMs));
    }
    // t0 + 14.5 s: records 15..29 remain, the first of each partition being 16, 17, 18 and 15.
    expect(expectedOffsetsAt(records, 4, t0 + 14_500)).toEqual({ 0: 4n, 1: 4n, 2: 4n, 3: 3n });
  });

  it('refuses a topic the connector does not consume and a partition the topic does not have', async () => {
    const { file } = await fixture(1);
    const io = captureIo();
    expect(await offsetsReset(file, { toEarliest: true, topic: ['elsewhere'] }, io)).toBe(
      OFFSETS_EXIT.invalid,
    );
    expect(io.stderr.join('\n')).toContain(
      'LB_OFFSETS_INVALID: topic elsewhere is not consumed by this connector',
    );
    const partition = captureIo();
    expect(await offsetsReset(file, { toEarliest: true, partition: ['3'] }, partition)).toBe(
      OFFSETS_EXIT.invalid,
    );
    expect(partition.stderr.join('\n')).toContain('has no partition 3 (it has 3: 0 to 2)');
  });

  it('says when a topic of the connector does not exist', async () => {
    const topic = uniqueName('missing');
    const file = await connectorFile(scratch, {
      name: uniqueName('conn'),
      config: { topics: topic, 'kafka.bootstrap.servers': kafka.bootstrap },
    });
    const io = captureIo();
    expect(await offsetsShow(file, {}, io)).toBe(OFFSETS_EXIT.failed);
    expect(io.stderr.join('\n')).toContain(
      `LB_KAFKA_UNKNOWN_TOPIC: a topic (event hub) of ${topic} does not exist`,
    );
  });
});

describe('the module: KIP-875 PATCH and DELETE', () => {
  it('sets explicit offsets, null = where the connector starts without a committed offset', async () => {
    const { topic, group, connector } = await fixture();
    await commitOffsets(kafka, group, topic, { 0: 2n, 1: 3n, 2: 4n });
    const client = clientFor(connector);
    const plan = await planReset(
      client,
      { groupId: group, topics: [topic] },
      {
        to: 'explicit',
        offsets: [
          { topic, partition: 0, offset: 8n },
          { topic, partition: 1, offset: null },
        ],
      },
    );
    const result = await applyPlan(client, plan, { connector: connector.name });
    expect(result.changed.map((r) => [r.partition, r.target])).toEqual([
      [0, 8n],
      [1, 0n],
    ]);
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 8n, 1: 0n, 2: 4n });
  });

  it('deletes every committed offset of the group', async () => {
    const { topic, group, connector } = await fixture();
    await commitOffsets(kafka, group, topic, { 0: 2n, 1: 3n });
    const client = clientFor(connector);
    const result = await deleteGroupOffsets(client, group, [topic], { connector: connector.name });
    expect(result).toEqual({ groupDeleted: true, reset: [] });
    expect(await committedOffsets(kafka, group, topic)).toEqual({});
    const states = await describeGroupOffsets(client, group, [topic]);
    expect(states.map((s) => s.committed)).toEqual([undefined, undefined, undefined]);
    expect(await deleteGroupOffsets(client, group, [topic])).toEqual({ groupDeleted: true, reset: [] });
  });
});
