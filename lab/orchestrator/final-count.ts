/**
 * The count the lab prints when it stops, once logbridge has drained and committed and HEC has flushed its file,
 * while Kafka still runs: every record produced is committed (delivered, dropped on purpose or dead-lettered) or
 * still waiting in Kafka. The events at HEC (those of the connector's topics) and MQTT can be fewer than the records:
 * the fragments of a long CRI line are joined into one event. The AMQP connector's count is `amqp.ts`'.
 * @module
 */
import {
  committedOffsets,
  endOffsets,
  recordCount,
  type KafkaBroker,
} from '../../test/support/kafka/index.ts';
import type { LabConnector } from './connector.ts';
import { countOf, LineCounter, type HecCounts } from './progress.ts';

/** The numbers of the final count. */
export interface FinalCount {
  readonly connector: string;
  /** Records in the connector's topics (the log end offsets: the lab's topics are new each run). */
  readonly produced: number;
  /** Sum of the consumer group's committed offsets. */
  readonly committed: number;
  /** Events at HEC from the connector's topics. */
  readonly hecReceived: number;
  readonly mqttReceived: number;
  readonly deadLetters: number;
}

/** Reads the count from Kafka, HEC's counts and the MQTT file. */
export async function finalCount(
  kafka: KafkaBroker,
  connector: LabConnector,
  hec: HecCounts,
  files: { readonly mqttEvents: string },
): Promise<FinalCount> {
  let produced = 0;
  let committed = 0;
  for (const topic of connector.topics) {
    produced += sum(await endOffsets(kafka, topic));
    committed += sum(await committedOffsets(kafka, connector.groupId, topic));
  }
  const deadLetters =
    connector.deadLetterTopic === '' ? 0 : await recordCount(kafka, connector.deadLetterTopic);
  return {
    connector: connector.name,
    produced,
    committed,
    hecReceived: countOf(hec, connector.topics),
    mqttReceived: await new LineCounter(files.mqttEvents).count(),
    deadLetters,
  };
}

const grouped = new Intl.NumberFormat('en-US');

/** One line, ending in ✓ when every record produced was committed (settled), else saying what is left. */
export function finalCountLine(c: FinalCount): string {
  const n = (value: number): string => grouped.format(value);
  const verdict =
    c.committed === c.produced ? '✓ all settled' : `left in Kafka ${n(c.produced - c.committed)}`;
  return (
    `final count ${c.connector} (Kafka): produced ${n(c.produced)}; committed ${n(c.committed)} ${verdict}; ` +
    `events at HEC ${n(c.hecReceived)}, at MQTT ${n(c.mqttReceived)}, dead letters ${n(c.deadLetters)}`
  );
}

function sum(offsets: Readonly<Record<number, bigint>>): number {
  return Object.values(offsets).reduce((total, offset) => total + Number(offset), 0);
}
