/**
 * The count the lab prints when it stops, once logbridge has drained and committed and HEC has flushed its file,
 * while Kafka still runs: every record produced is either committed (delivered to HEC, or dead-lettered) or still
 * waiting in Kafka, and what was committed is exactly what HEC received plus the dead letters.
 * @module
 */
import {
  committedOffsets,
  endOffsets,
  recordCount,
  type KafkaBroker,
} from '../../test/support/kafka/index.ts';
import type { LabConnector } from './connector.ts';
import { LineCounter } from './progress.ts';

/** The numbers of the final count. */
export interface FinalCount {
  /** Records in the connector's topics (the log end offsets: the lab's topics are new each run). */
  readonly produced: number;
  /** Sum of the consumer group's committed offsets. */
  readonly committed: number;
  readonly hecReceived: number;
  readonly deadLetters: number;
}

/** Reads the count from Kafka and the HEC file. */
export async function finalCount(
  kafka: KafkaBroker,
  connector: LabConnector,
  hecFile: string,
): Promise<FinalCount> {
  let produced = 0;
  let committed = 0;
  for (const topic of connector.topics) {
    produced += sum(await endOffsets(kafka, topic));
    committed += sum(await committedOffsets(kafka, connector.groupId, topic));
  }
  const deadLetters =
    connector.deadLetterTopic === '' ? 0 : await recordCount(kafka, connector.deadLetterTopic);
  return { produced, committed, hecReceived: await new LineCounter(hecFile).count(), deadLetters };
}

const grouped = new Intl.NumberFormat('en-US');

/** One line, ending in ✓ when committed = HEC + dead letters, or saying how many duplicates or missing. */
export function finalCountLine(c: FinalCount): string {
  const n = (value: number): string => grouped.format(value);
  const delivered = c.hecReceived + c.deadLetters;
  const parts = `HEC ${n(c.hecReceived)} + dead letters ${n(c.deadLetters)}`;
  const verdict =
    delivered === c.committed
      ? `= ${parts} ✓`
      : delivered > c.committed
        ? `< ${parts}: ${n(delivered - c.committed)} delivered again or after the last commit`
        : `> ${parts}: ✗ ${n(c.committed - delivered)} committed but not delivered`;
  return (
    `final count: produced ${n(c.produced)}; committed ${n(c.committed)} ${verdict}; ` +
    `left in Kafka ${n(c.produced - c.committed)}`
  );
}

function sum(offsets: Readonly<Record<number, bigint>>): number {
  return Object.values(offsets).reduce((total, offset) => total + Number(offset), 0);
}
