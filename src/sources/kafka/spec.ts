/**
 * The kafka source type: validation (no side effects) and construction, sharing one kafkajs client between the
 * consumer and the dead-letter producer.
 * @module
 */
import type { Logger } from 'pino';
import { type ConfigIssue, parseOptions } from '../../config/index.ts';
import type { DeadLetterQueue, Source } from '../../engine/index.ts';
import { createKafka, kafkaConfig } from './client.ts';
import { checkBrokerTls } from './preflight.ts';
import { type KafkaSourceConfig, kafkaSourceConfigFrom, kafkaSourceSchema } from './config.ts';
import { KafkaDeadLetterQueue } from './dead-letter.ts';
import { ConnectionStringError, parseConnectionString } from './event-hubs.ts';
import { KafkaSignals } from './signals.ts';
import { KafkaSource } from './source.ts';

/** Dead-letter settings, when the connector has a dead-letter topic. */
export interface DeadLetterSettings {
  readonly topic: string;
  readonly maxRecordBytes: number;
  /** Counts values cut to fit (see `DeadLetterConfig`). */
  readonly onTruncated?: (originalBytes: number, keptBytes: number) => void;
}

/** Validates the kafka source's keys of a connector. */
export function validateKafkaSource(
  properties: Readonly<Record<string, unknown>>,
  name: string,
  path: string,
): { config?: KafkaSourceConfig; issues: ConfigIssue[] } {
  const { values, issues } = parseOptions(kafkaSourceSchema, properties, path);
  const connectionString = values['eventhubs.connection.string'];
  if (connectionString !== undefined) {
    try {
      parseConnectionString(connectionString.reveal());
    } catch (error) {
      const message =
        error instanceof ConnectionStringError ? error.message : 'is not a valid connection string';
      issues.push({ path: `${path}.eventhubs.connection.string`, message });
    }
  } else if (values['kafka.sasl.mechanism'] === 'oauthbearer') {
    if (values['eventhubs.namespace'] === undefined) {
      issues.push({
        path: `${path}.eventhubs.namespace`,
        message: 'is required with kafka.sasl.mechanism=oauthbearer (e.g. acme.servicebus.windows.net)',
      });
    }
  } else if (values['kafka.bootstrap.servers'].length === 0) {
    issues.push({
      path: `${path}.eventhubs.connection.string`,
      message:
        'is required unless kafka.bootstrap.servers is set (or Entra ID: kafka.sasl.mechanism=oauthbearer)',
    });
  }
  if (issues.length > 0) return { issues };
  return { config: kafkaSourceConfigFrom(values, name), issues };
}

/** Builds the source and, if configured, the dead-letter writer on the same client. */
export function createKafkaSource(
  config: KafkaSourceConfig,
  deadLetters: DeadLetterSettings | undefined,
  logger: Logger,
): { source: Source; deadLetters: DeadLetterQueue | undefined } {
  const signals = new KafkaSignals();
  const kafkaLogger = logger.child({ component: 'kafka' });
  const kafka = createKafka(config, kafkaLogger, signals);
  const tlsCheck = (): Promise<void> =>
    checkBrokerTls(kafkaConfig(config, kafkaLogger), config.connectionTimeoutMs);
  return {
    source: new KafkaSource(kafka, config, logger.child({ component: 'kafka-source' }), {
      signals,
      tlsCheck,
    }),
    deadLetters:
      deadLetters === undefined
        ? undefined
        : new KafkaDeadLetterQueue(kafka, {
            topic: deadLetters.topic,
            maxRecordBytes: deadLetters.maxRecordBytes,
            ...(deadLetters.onTruncated === undefined ? {} : { onTruncated: deadLetters.onTruncated }),
          }),
  };
}
