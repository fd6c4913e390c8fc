/**
 * The offsets adapter of a connector's source (src/offsets): the kafka source's on a kafkajs client, the eventhubs
 * source's on the SDK and its checkpoint store.
 * @module
 */
import type { Logger } from 'pino';
import type { OffsetsAdapter } from '../offsets/index.ts';
import { type EventHubsSourceConfig, eventHubsOffsets } from '../sources/eventhubs/index.ts';
import { createKafka, kafkaOffsets, type KafkaSourceConfig } from '../sources/kafka/index.ts';

/** The source's side of the offsets tooling for a validated connector. */
export function offsetsAdapterOf(
  connector: {
    readonly sourceType: 'kafka' | 'eventhubs';
    readonly source: KafkaSourceConfig | EventHubsSourceConfig;
  },
  logger: Logger,
): OffsetsAdapter {
  return connector.sourceType === 'eventhubs'
    ? eventHubsOffsets(connector.source as EventHubsSourceConfig)
    : kafkaOffsets(createKafka(connector.source as KafkaSourceConfig, logger));
}

/** The connector key of where a partition without a committed position starts, for the tooling's notes. */
export function startPolicyKey(sourceType: 'kafka' | 'eventhubs'): string {
  return sourceType === 'eventhubs' ? 'eventhubs.start.position' : 'kafka.auto.offset.reset';
}
