import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addOnFileEventHub,
  detectOffsetsFormat,
  parseAddOnCheckpointFile,
  parseAddOnOwnerships,
  parseBlobCheckpoints,
  readOffsetsFile,
} from '../../../src/offsets/index.ts';
import {
  addOnCheckpointFile,
  FIXTURE_CHECKPOINTS,
  FIXTURE_NAME,
} from '../../fixtures/mscs/checkpoint-file.ts';

const fixturePath = new URL(`../../fixtures/mscs/${FIXTURE_NAME}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'logbridge-checkpoints-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('the MSCS add-on checkpoint file', () => {
  it('is the committed fixture, as the builder makes it', () => {
    expect(readFileSync(fixturePath)).toEqual(
      addOnCheckpointFile({ checkpoints: FIXTURE_CHECKPOINTS, owned: [0, 1, 2, 3] }),
    );
  });

  it('gives the sequence number of every checkpointed partition, skipping pages never written', () => {
    expect(parseAddOnCheckpointFile(readFileSync(fixturePath), FIXTURE_NAME)).toEqual([
      { partition: 0, sequenceNumber: 9n, eventHub: undefined },
      { partition: 1, sequenceNumber: 24n, eventHub: undefined },
      { partition: 2, sequenceNumber: 49n, eventHub: undefined },
    ]);
  });

  it('reads the layout from the header (newer add-ons have room for more partitions) and keeps big numbers exact', () => {
    const bytes = addOnCheckpointFile({
      partitions: 1024,
      checkpoints: [{ partition: 1000, sequenceNumber: 2n ** 62n + 3n, offset: '123' }],
    });
    expect(parseAddOnCheckpointFile(bytes, 'big.v1.ckpt')).toEqual([
      { partition: 1000, sequenceNumber: 2n ** 62n + 3n, eventHub: undefined },
    ]);
  });

  it('refuses a file without the header, a truncated one, and a broken checkpoint page', () => {
    expect(() => parseAddOnCheckpointFile(Buffer.alloc(8192), 'zeros')).toThrow(
      'zeros is not an MSCS add-on checkpoint file',
    );
    const whole = addOnCheckpointFile({ checkpoints: FIXTURE_CHECKPOINTS });
    expect(() => parseAddOnCheckpointFile(whole.subarray(0, 4096 * 10), 'cut')).toThrow(
      'cut is 40960 bytes but its header says 528384: is it truncated?',
    );
    const broken = Buffer.from(whole);
    broken.write('["etag", 1, "offset"]', 4096 * 4);
    broken.fill(0x20, 4096 * 4 + 21, 4096 * 5);
    expect(() => parseAddOnCheckpointFile(broken, 'broken')).toThrow(
      'broken: partition 1 (page 4) is not a checkpoint [etag, time, offset, sequence number]',
    );
    expect(() => parseAddOnCheckpointFile(broken, 'broken')).toThrow(
      expect.objectContaining({ code: 'LB_OFFSETS_FILE' }),
    );
  });

  it('names its event hub in the file name, matched among the topics without case', () => {
    expect(addOnFileEventHub(FIXTURE_NAME, ['audit', 'AKS-Logs'])).toBe('AKS-Logs');
    expect(addOnFileEventHub(FIXTURE_NAME, ['audit'])).toBeUndefined();
    expect(addOnFileEventHub('ns-logs-a-cg.v1.ckpt', ['logs', 'logs-a'])).toBeUndefined();
  });
});

describe('Azure Blob checkpoints', () => {
  it('reads `az storage blob list --include m` output, skipping ownership blobs', () => {
    const listing = JSON.stringify([
      { name: 'acme.servicebus.windows.net/aks-logs/$default/ownership/0', metadata: { ownerid: 'x' } },
      {
        name: 'acme.servicebus.windows.net/aks-logs/$default/checkpoint/0',
        metadata: { sequencenumber: '41', offset: '8192' },
      },
      {
        name: 'acme.servicebus.windows.net/aks-logs/$default/checkpoint/3',
        metadata: { sequencenumber: '7' },
      },
    ]);
    expect(parseBlobCheckpoints(listing, 'l.json')).toEqual([
      { partition: 0, sequenceNumber: 41n, eventHub: 'aks-logs' },
      { partition: 3, sequenceNumber: 7n, eventHub: 'aks-logs' },
    ]);
  });

  it('reads SDK checkpoint objects, JavaScript and Python spellings', () => {
    const text = JSON.stringify([
      { partitionId: '1', sequenceNumber: 5, eventHubName: 'hub', offset: '10' },
      { partition_id: '2', sequence_number: 6, eventhub_name: 'hub' },
    ]);
    expect(parseBlobCheckpoints(text, 's.json')).toEqual([
      { partition: 1, sequenceNumber: 5n, eventHub: 'hub' },
      { partition: 2, sequenceNumber: 6n, eventHub: 'hub' },
    ]);
  });

  it('refuses what is not such an array', () => {
    expect(() => parseBlobCheckpoints('{}', 'x')).toThrow('x is not a JSON array of Azure Blob checkpoints');
    expect(() => parseBlobCheckpoints('[{"partitionId": "a", "sequenceNumber": 1}]', 'x')).toThrow(
      'x[0]: no partition id',
    );
    expect(() => parseBlobCheckpoints('[{"partitionId": "0"}]', 'x')).toThrow('x[0]: no sequence number');
  });
});

describe('readOffsetsFile', () => {
  it('recognises the three formats', () => {
    expect(detectOffsetsFormat(readFileSync(fixturePath), 'f')).toBe('mscs-checkpoint');
    expect(detectOffsetsFormat(Buffer.from('{"format": "logbridge-offsets"}'), 'f')).toBe('logbridge');
    expect(detectOffsetsFormat(Buffer.from(' [ ]'), 'f')).toBe('azure-checkpoints');
    expect(() => detectOffsetsFormat(Buffer.from('hello'), 'f')).toThrow('f: unknown format');
  });

  it('turns add-on checkpoints into offsets = sequence number + 1 on the topic the file name gives', () => {
    const imported = readOffsetsFile(fixturePath, { topics: ['audit', 'aks-logs'] });
    expect(imported.format).toBe('mscs-checkpoint');
    expect(imported.offsets).toEqual([
      { topic: 'aks-logs', partition: 0, offset: 10n },
      { topic: 'aks-logs', partition: 1, offset: 25n },
      { topic: 'aks-logs', partition: 2, offset: 50n },
    ]);
    expect(imported.origin).toContain('MSCS add-on checkpoints of 3 partition(s) for topic aks-logs');
    // The fixture's ownerships were renewed in 2025: long expired, the add-on is not reading.
    expect(imported.warnings).toEqual([]);
  });

  it("reads the add-on's ownerships, and warns when one was renewed within the add-on's 300 s expiry", () => {
    const ownerships = parseAddOnOwnerships(readFileSync(fixturePath), FIXTURE_NAME);
    expect(ownerships.map((o) => [o.partition, o.ownerId])).toEqual([
      [0, 'splunk-hf-0'],
      [1, 'splunk-hf-1'],
      [2, 'splunk-hf-2'],
      [3, 'splunk-hf-3'],
    ]);
    const renewed = ownerships[0]?.renewedAt.getTime() ?? 0;
    const live = readOffsetsFile(fixturePath, { topics: ['aks-logs'] }, new Date(renewed + 299_000));
    expect(live.warnings).toHaveLength(1);
    expect(live.warnings[0]).toMatch(/^the add-on renewed its ownership of partition\(s\) 0,1,2,3 299 s ago/);
    expect(live.warnings[0]).toContain('Stop the input first');
    expect(
      readOffsetsFile(fixturePath, { topics: ['aks-logs'] }, new Date(renewed + 301_000)).warnings,
    ).toEqual([]);
  });

  it('refuses an add-on file named for another event hub unless --topic says which', () => {
    expect(() => readOffsetsFile(fixturePath, { topics: ['audit'] })).toThrow(
      "the file name names none of the connector's topics (audit)",
    );
    expect(readOffsetsFile(fixturePath, { topics: ['audit'], topic: 'audit' }).offsets[0]?.topic).toBe(
      'audit',
    );
    const renamed = file('copy.ckpt', readFileSync(fixturePath));
    expect(readOffsetsFile(renamed, { topics: ['audit'] }).offsets[0]?.topic).toBe('audit');
    expect(() => readOffsetsFile(renamed, { topics: ['audit', 'other'] })).toThrow('pass --topic');
  });

  it('maps Blob checkpoints by event hub name, and refuses one the connector does not consume', () => {
    const path = file(
      'blobs.json',
      JSON.stringify([{ partitionId: '0', sequenceNumber: 99, eventHubName: 'AKS-LOGS' }]),
    );
    expect(readOffsetsFile(path, { topics: ['aks-logs', 'b'] }).offsets).toEqual([
      { topic: 'aks-logs', partition: 0, offset: 100n },
    ]);
    expect(() => readOffsetsFile(path, { topics: ['b'] })).toThrow(
      'event hub aks-logs, which the connector does not consume',
    );
  });

  it('reads logbridge files and says where they came from', () => {
    const path = file(
      'mine.json',
      JSON.stringify({
        format: 'logbridge-offsets',
        version: 1,
        connector: 'c',
        group: 'g',
        exported_at: 'T',
        offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 3 } }],
      }),
    );
    const imported = readOffsetsFile(path, { topics: ['t'] });
    expect(imported).toEqual({
      format: 'logbridge',
      offsets: [{ topic: 't', partition: 0, offset: 3n }],
      origin: 'offsets exported from connector c, group g at T',
      warnings: [],
    });
  });

  it('says when a file cannot be read', () => {
    expect(() => readOffsetsFile(join(scratch, 'missing'), { topics: ['t'] })).toThrow(
      expect.objectContaining({ code: 'LB_OFFSETS_FILE' }),
    );
  });
});
