import { describe, expect, it } from 'vitest';
import {
  formatOffsetsDocument,
  offsetsDocument,
  parseConnectOffsets,
  parseOffsetsDocument,
  type PartitionState,
  toConnectOffsets,
} from '../../../src/offsets/index.ts';

function state(partition: number, committed: bigint | undefined): PartitionState {
  return {
    topic: 'logs',
    partition,
    committed,
    start: 0n,
    end: 2n ** 60n,
    lag: 0n,
    committedAboveEnd: false,
  };
}

const states = [state(0, 4711n), state(1, undefined), state(2, 2n ** 53n + 1n)];

describe('KIP-875 rows', () => {
  it('lists committed partitions only, as GET /connectors/{name}/offsets does', () => {
    expect(toConnectOffsets(states)).toEqual([
      { partition: { kafka_topic: 'logs', kafka_partition: 0 }, offset: { kafka_offset: 4711 } },
      {
        partition: { kafka_topic: 'logs', kafka_partition: 2 },
        offset: { kafka_offset: '9007199254740993' },
      },
    ]);
  });

  it('adds uncommitted partitions as null on request', () => {
    expect(toConnectOffsets(states, { includeUncommitted: true })[1]).toEqual({
      partition: { kafka_topic: 'logs', kafka_partition: 1 },
      offset: null,
    });
  });

  it('parses a PATCH body, numbers and decimal strings, null for "no committed offset"', () => {
    const body = {
      offsets: [
        { partition: { kafka_topic: 'logs', kafka_partition: 0 }, offset: { kafka_offset: 4000 } },
        { partition: { kafka_topic: 'logs', kafka_partition: 1 }, offset: null },
        {
          partition: { kafka_topic: 'logs', kafka_partition: 2 },
          offset: { kafka_offset: '9007199254740993' },
        },
      ],
    };
    expect(parseConnectOffsets(body)).toEqual([
      { topic: 'logs', partition: 0, offset: 4000n },
      { topic: 'logs', partition: 1, offset: null },
      { topic: 'logs', partition: 2, offset: 9007199254740993n },
    ]);
  });

  it.each([
    ['expected {"offsets": [', { offset: [] }],
    ['offsets[0]: expected {"partition"', { offsets: [42] }],
    ['offsets[0].partition.kafka_topic', { offsets: [{ partition: { kafka_partition: 0 }, offset: null }] }],
    [
      'offsets[0].partition.kafka_partition',
      { offsets: [{ partition: { kafka_topic: 't', kafka_partition: -1 }, offset: null }] },
    ],
    [
      'offsets[0].offset: expected {"kafka_offset"',
      { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: -5 } }] },
    ],
    [
      'offsets[0].offset',
      { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1.5 } }] },
    ],
    [
      'offsets[0].offset',
      {
        offsets: [
          {
            partition: { kafka_topic: 't', kafka_partition: 0 },
            offset: { kafka_offset: '9223372036854775808' },
          },
        ],
      },
    ],
    ['offsets[0].offset', { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 } }] }],
  ])('refuses a body: %s', (message, body) => {
    expect(() => parseConnectOffsets(body)).toThrow(message);
    expect(() => parseConnectOffsets(body)).toThrow(expect.objectContaining({ code: 'LB_OFFSETS_INVALID' }));
  });
});

describe('logbridge offsets file', () => {
  const document = offsetsDocument(
    'aks-logs',
    'logbridge-aks-logs',
    states,
    new Date('2026-11-24T08:00:00Z'),
  );

  it('is versioned JSON with every partition', () => {
    const text = formatOffsetsDocument(document);
    expect(JSON.parse(text)).toEqual({
      format: 'logbridge-offsets',
      version: 1,
      connector: 'aks-logs',
      group: 'logbridge-aks-logs',
      exported_at: '2026-11-24T08:00:00.000Z',
      offsets: toConnectOffsets(states, { includeUncommitted: true }),
    });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('puts one partition per line', () => {
    const lines = formatOffsetsDocument(document).split('\n');
    expect(lines).toContain('    {"partition":{"kafka_topic":"logs","kafka_partition":1},"offset":null},');
    const none = formatOffsetsDocument({ ...document, offsets: [] });
    expect(JSON.parse(none)).toMatchObject({ offsets: [] });
  });

  it('reads back what it wrote', () => {
    const parsed = parseOffsetsDocument(formatOffsetsDocument(document), 'f.json');
    expect(parsed).toEqual({
      connector: 'aks-logs',
      group: 'logbridge-aks-logs',
      exportedAt: '2026-11-24T08:00:00.000Z',
      offsets: [
        { topic: 'logs', partition: 0, offset: 4711n },
        { topic: 'logs', partition: 1, offset: null },
        { topic: 'logs', partition: 2, offset: 9007199254740993n },
      ],
    });
  });

  it.each([
    ['f.json is not JSON', '{'],
    ['f.json is not a logbridge offsets file', '{"offsets": []}'],
    ['f.json has version 2; this logbridge reads version 1', '{"format": "logbridge-offsets", "version": 2}'],
    ['f.json: offsets[0]', '{"format": "logbridge-offsets", "version": 1, "offsets": [{}]}'],
  ])('refuses a file: %s', (message, text) => {
    expect(() => parseOffsetsDocument(text, 'f.json')).toThrow(message);
    expect(() => parseOffsetsDocument(text, 'f.json')).toThrow(
      expect.objectContaining({ code: 'LB_OFFSETS_FILE' }),
    );
  });
});
