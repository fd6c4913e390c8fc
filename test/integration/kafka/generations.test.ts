/**
 * The kafka source across consumer-group generations, against the real broker: every join starts the whole
 * assignment again from the committed offsets (kept partitions too), a commit counts only for the current
 * generation's partitions and only once the coordinator acknowledged it, and partitions report when they are
 * caught up.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  BridgeError,
  CommitOffset,
  Source,
  SourceContext,
  SourceRecord,
  TopicPartition,
} from '../../../src/engine/index.ts';
import { createKafkaSource, validateKafkaSource } from '../../../src/sources/kafka/index.ts';
import { committedOffsets, createTopic, produce } from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';

const kafka = kafkaPeer();
const sources: Source[] = [];

afterAll(async () => {
  await Promise.all(sources.map((s) => s.stop().catch(() => undefined)));
});

/** A context that takes everything and remembers what the source told it. */
class RecordingContext implements SourceContext {
  readonly accepted: SourceRecord[] = [];
  readonly assignments: TopicPartition[][] = [];
  /** How many records were accepted when each assignment came. */
  readonly acceptedAt: number[] = [];
  readonly caught = new Map<number, boolean>();
  accept(record: SourceRecord): void {
    this.accepted.push(record);
  }
  isFull(): boolean {
    return false;
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  assigned(partitions: readonly TopicPartition[]): void {
    this.assignments.push([...partitions]);
    this.acceptedAt.push(this.accepted.length);
  }
  revoked(): void {
    throw new Error('the kafka source reports generations, not single partitions');
  }
  revoking(): Promise<void> {
    return Promise.resolve();
  }
  caughtUp(partition: TopicPartition, caughtUp: boolean): void {
    this.caught.set(partition.partition, caughtUp);
  }
  failed(error: BridgeError): void {
    throw error;
  }
  offsetReset(): void {
    return undefined;
  }
}

function source(topic: string, group: string): Source {
  const { config, issues } = validateKafkaSource(
    {
      topics: topic,
      'kafka.bootstrap.servers': kafka.bootstrap,
      'kafka.group.id': group,
      'kafka.session.timeout.ms': '6000',
      'kafka.heartbeat.interval.ms': '500',
      'kafka.fetch.max.wait.ms': '100',
    },
    'generations',
    'config',
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  const created = createKafkaSource(config, undefined, pino({ level: 'silent' })).source;
  sources.push(created);
  return created;
}

const numbered = (partition: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ partition, value: `p${partition}-${i}` }));

describe('kafka source generations', () => {
  it('starts every join from the committed offsets and commits only its own, acknowledged partitions', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    const group = uniqueName('generations');
    await produce(kafka, topic, [...numbered(0, 5), ...numbered(1, 5)]);
    const a = source(topic, group);
    const contextA = new RecordingContext();
    await a.start(contextA);
    await waitFor(() => contextA.accepted.length === 10, 60_000, 'member A to read all 10 records');
    expect(contextA.assignments.map((tps) => tps.length)).toEqual([2]);
    // Both partitions were read to their end.
    await waitFor(
      () => contextA.caught.get(0) === true && contextA.caught.get(1) === true,
      10_000,
      'caught up',
    );

    const commit: CommitOffset[] = [
      { topic, partition: 0, offset: 3n },
      { topic, partition: 1, offset: 2n },
    ];
    await a.commit(commit);
    expect(await committedOffsets(kafka, group, topic)).toEqual({ 0: 3n, 1: 2n });

    const b = source(topic, group);
    const contextB = new RecordingContext();
    await b.start(contextB);
    await waitFor(
      () => contextA.assignments.length === 2 && contextB.assignments.length === 1,
      60_000,
      'the rebalance to two members',
    );
    const [kept] = contextA.assignments[1] ?? [];
    const [lost] = contextB.assignments[0] ?? [];
    if (kept === undefined || lost === undefined) throw new Error('each member should own one partition');
    const readBefore = contextA.acceptedAt[1] ?? 0;
    const from = kept.partition === 0 ? 3 : 2;
    // The kept partition is read again from its committed offset, not from where A was.
    await waitFor(
      () => contextA.accepted.length === readBefore + 5 - from,
      30_000,
      'A to re-read its partition',
    );
    expect(contextA.accepted.slice(readBefore).map((r) => r.position.offset)).toEqual(
      Array.from({ length: 5 - from }, (_, i) => BigInt(from + i)),
    );

    // A partition now B's is never committed by A, even together with one of A's own.
    await expect(
      a.commit([
        { topic, partition: lost.partition, offset: 5n },
        { topic, partition: kept.partition, offset: 5n },
      ]),
    ).rejects.toMatchObject({ code: 'LB_KAFKA_TRANSIENT' });
    await a.commit([{ topic, partition: kept.partition, offset: 5n }]);
    const committed = await committedOffsets(kafka, group, topic);
    expect(committed[kept.partition]).toBe(5n);
    expect(committed[lost.partition]).toBe(lost.partition === 0 ? 3n : 2n);

    // Once the consumer stopped, kafkajs would resolve a commit without sending it: it is refused instead.
    await a.stop();
    await expect(a.commit([{ topic, partition: kept.partition, offset: 5n }])).rejects.toMatchObject({
      code: 'LB_KAFKA_TRANSIENT',
    });
  });
});
