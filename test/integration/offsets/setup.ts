/**
 * What the offsets integration tests share: connector files in a scratch directory, the CLI's output captured, a
 * group's offsets set independently of the code under test (kafkajs' own admin), and records with timestamps.
 */
import { writeFile } from 'node:fs/promises';
import { Kafka } from 'kafkajs';
import { pino } from 'pino';
import type { OffsetsIo } from '../../../src/cli/offsets-actions.ts';
import type { OffsetsAdapter } from '../../../src/offsets/index.ts';
import { createKafka, kafkaOffsets, validateKafkaSource } from '../../../src/sources/kafka/index.ts';
import { plaintextConfig, produce, type KafkaCoordinates } from '../../support/kafka/index.ts';
import type { ScratchDir } from '../../support/scratch.ts';

/** A connector definition as the tests write it. */
export interface TestConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Writes a connector file and returns its path. */
export async function connectorFile(scratch: ScratchDir, connector: TestConnector): Promise<string> {
  const file = `${scratch.path}/${connector.name}.json`;
  await writeFile(file, JSON.stringify(connector, null, 2));
  return file;
}

/** The CLI's output, kept. */
export interface CapturedIo extends OffsetsIo {
  readonly stdout: string[];
  readonly stderr: string[];
  /** stdout and stderr, one string. */
  text(): string;
}

export function captureIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    text: () => [...stdout, ...stderr].join('\n'),
  };
}

/** The offsets adapter for a connector config, as the CLI builds it. */
export function clientFor(connector: TestConnector): OffsetsAdapter {
  const { config } = validateKafkaSource(connector.config, connector.name, 'config');
  if (config === undefined) throw new Error(`invalid kafka source settings in ${connector.name}`);
  return kafkaOffsets(createKafka(config, pino({ level: 'silent' })));
}

/** Commits offsets for a group with kafkajs' own admin (the group must have no member). */
export async function commitOffsets(
  broker: KafkaCoordinates,
  groupId: string,
  topic: string,
  offsets: Readonly<Record<number, bigint>>,
): Promise<void> {
  const admin = new Kafka(plaintextConfig(broker)).admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId,
      topic,
      partitions: Object.entries(offsets).map(([partition, offset]) => ({
        partition: Number(partition),
        offset: offset.toString(),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** A record produced by {@link produceTimed}: where it went and its timestamp. */
export interface TimedRecord {
  readonly seq: number;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestampMs: number;
}

/**
 * Produces `count` JSON records `{"seq": i}` to a fresh topic: record i goes to partition `i % partitions` with
 * timestamp `t0 + i × stepMs`. Returns each record's partition, offset (its rank in the partition, the topic being
 * fresh) and timestamp.
 */
export async function produceTimed(
  broker: KafkaCoordinates,
  topic: string,
  options: {
    readonly count: number;
    readonly partitions: number;
    readonly t0: number;
    readonly stepMs: number;
  },
): Promise<TimedRecord[]> {
  const records: TimedRecord[] = [];
  const next = new Map<number, bigint>();
  for (let seq = 0; seq < options.count; seq += 1) {
    const partition = seq % options.partitions;
    const offset = next.get(partition) ?? 0n;
    next.set(partition, offset + 1n);
    records.push({ seq, partition, offset, timestampMs: options.t0 + seq * options.stepMs });
  }
  await produce(
    broker,
    topic,
    records.map((r) => ({
      value: JSON.stringify({ seq: r.seq }),
      partition: r.partition,
      timestamp: String(r.timestampMs),
    })),
  );
  return records;
}

/** Per partition, the first offset at or after `atMs` (the log end when none), from what was produced. */
export function expectedOffsetsAt(
  records: readonly TimedRecord[],
  partitions: number,
  atMs: number,
): Record<number, bigint> {
  const expected: Record<number, bigint> = {};
  for (let p = 0; p < partitions; p += 1) {
    const mine = records.filter((r) => r.partition === p);
    const first = mine.find((r) => r.timestampMs >= atMs);
    expected[p] = first === undefined ? BigInt(mine.length) : first.offset;
  }
  return expected;
}
