/**
 * `logbridge offsets export` and `import` against the real broker: a round trip through logbridge's offsets file,
 * and a cut-over from a Heavy Forwarder by importing the MSCS add-on's checkpoint file (and Azure Blob checkpoints):
 * Kafka offset = sequence number + 1.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OFFSETS_EXIT,
  offsetsExport,
  offsetsImport,
  offsetsReset,
} from '../../../src/cli/offsets-actions.ts';
import { committedOffsets, createTopic, produce, uniqueName } from '../../support/kafka/index.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import { FIXTURE_NAME } from '../../fixtures/mscs/checkpoint-file.ts';
import { captureIo, commitOffsets, connectorFile } from './setup.ts';

const kafka = kafkaPeer();
const fixture = new URL(`../../fixtures/mscs/${FIXTURE_NAME}`, import.meta.url).pathname;
let scratch: ScratchDir;

beforeAll(async () => {
  scratch = await createScratchDir('offsets-files');
});
afterAll(async () => {
  await scratch.remove();
});

async function connectorOn(
  partitions: number,
  perPartition: number,
): Promise<{ topic: string; group: string; file: string }> {
  const topic = await createTopic(kafka, { partitions });
  await produce(
    kafka,
    topic,
    Array.from({ length: partitions * perPartition }, (_, i) => ({
      value: `{"n":${i}}`,
      partition: i % partitions,
    })),
  );
  const group = uniqueName('files');
  const file = await connectorFile(scratch, {
    name: uniqueName('conn'),
    config: { topics: topic, 'kafka.bootstrap.servers': kafka.bootstrap, 'kafka.group.id': group },
  });
  return { topic, group, file };
}

describe('export then import', () => {
  it('restores the offsets that were exported', async () => {
    const { topic, group, file } = await connectorOn(3, 10);
    await commitOffsets(kafka, group, topic, { 0: 3n, 1: 7n });
    const saved = `${scratch.path}/${group}.offsets.json`;

    const exported = captureIo();
    expect(await offsetsExport(file, saved, {}, exported), exported.text()).toBe(OFFSETS_EXIT.ok);
    expect(exported.stdout.join('')).toContain(`3 partitions of group ${group}, 2 with a committed offset`);
    const document = JSON.parse(await readFile(saved, 'utf8')) as Record<string, unknown>;
    expect(document).toMatchObject({ format: 'logbridge-offsets', version: 1, group });
    expect(document['offsets']).toEqual([
      { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } },
      { partition: { kafka_topic: topic, kafka_partition: 1 }, offset: { kafka_offset: 7 } },
      { partition: { kafka_topic: topic, kafka_partition: 2 }, offset: null },
    ]);
    const again = captureIo();
    expect(await offsetsExport(file, saved, {}, again)).toBe(OFFSETS_EXIT.invalid);
    expect(again.stderr.join('')).toContain('exists already (add --force to replace it)');

    const reset = captureIo();
    expect(await offsetsReset(file, { toLatest: true, execute: true }, reset), reset.text()).toBe(
      OFFSETS_EXIT.ok,
    );
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 10n, 1: 10n, 2: 10n });

    const dry = captureIo();
    expect(await offsetsImport(file, saved, {}, dry), dry.text()).toBe(OFFSETS_EXIT.ok);
    expect(dry.stdout[0]).toContain(`offsets exported from connector`);
    expect(dry.stderr).toContain('dry run: nothing changed; add --execute to apply');
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 10n, 1: 10n, 2: 10n });

    const imported = captureIo();
    expect(await offsetsImport(file, saved, { execute: true }, imported), imported.text()).toBe(
      OFFSETS_EXIT.ok,
    );
    // Partition 2 had no committed offset: it gets the log start, where the connector starts without one.
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 3n, 1: 7n, 2: 0n });
  });
});

describe('cut-over from a Heavy Forwarder', () => {
  it("imports the MSCS add-on's checkpoint file: offset = sequence number + 1", async () => {
    const { topic, group, file } = await connectorOn(4, 50);
    await commitOffsets(kafka, group, topic, { 3: 7n });
    // The add-on names the file <namespace>-<event hub>-<consumer group>.v1.ckpt; this event hub is our topic.
    const checkpoint = `${scratch.path}/acme-prod.servicebus.windows.net-${topic}-splunk-hf.v1.ckpt`;
    await copyFile(fixture, checkpoint);

    const io = captureIo();
    expect(await offsetsImport(file, checkpoint, { execute: true }, io), io.text()).toBe(OFFSETS_EXIT.ok);
    expect(io.stdout[0]).toContain(`MSCS add-on checkpoints of 3 partition(s) for topic ${topic}`);
    // Fixture: partition 0 at sequence number 9, 1 at 24, 2 at 49 (the last record), 3 never checkpointed.
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 10n, 1: 25n, 2: 50n, 3: 7n });

    const named = captureIo();
    expect(await offsetsImport(file, fixture, { format: 'mscs-checkpoint' }, named)).toBe(
      OFFSETS_EXIT.invalid,
    );
    expect(named.stderr.join('')).toContain('LB_OFFSETS_FILE');
    expect(named.stderr.join('')).toContain('pass --topic');
    const forced = captureIo();
    expect(await offsetsImport(file, fixture, { topic: [topic], json: true }, forced)).toBe(OFFSETS_EXIT.ok);
    expect((JSON.parse(forced.stdout.join('')) as { partitions: unknown[] }).partitions).toHaveLength(3);
  });

  it('imports Azure Blob checkpoints, clamping a sequence number past the log end', async () => {
    const { topic, group, file } = await connectorOn(2, 5);
    const blobs = `${scratch.path}/${group}-blobs.json`;
    await writeFile(
      blobs,
      JSON.stringify([
        {
          name: `acme.servicebus.windows.net/${topic}/$default/checkpoint/0`,
          metadata: { sequencenumber: '1' },
        },
        {
          name: `acme.servicebus.windows.net/${topic}/$default/checkpoint/1`,
          metadata: { sequencenumber: '99' },
        },
      ]),
    );
    const io = captureIo();
    expect(await offsetsImport(file, blobs, { execute: true }, io), io.text()).toBe(OFFSETS_EXIT.ok);
    expect(io.stdout.join('\n')).toContain('100 is past the log end 5: clamped');
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 2n, 1: 5n });
  });
});
