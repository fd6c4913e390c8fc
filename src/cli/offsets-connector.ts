/**
 * What the offline `logbridge offsets` commands know of a connector: its name, consumer group, topics and how to
 * reach Kafka, from its definition file. Only the kafka source's keys are read and their `${env:…}`/`${file:…}`
 * references resolved, so the sinks' secrets need not be present.
 * @module
 */
import { pino, type Logger } from 'pino';
import {
  type ConfigIssue,
  LOG_REDACT_PATHS,
  readDefinitionFile,
  resolveSecrets,
  type SecretSources,
  processSecrets,
} from '../config/index.ts';
import type { OffsetsAdapter } from '../offsets/index.ts';
import {
  type EventHubsSourceConfig,
  eventHubsSourceKeys,
  validateEventHubsSource,
} from '../sources/eventhubs/index.ts';
import { type KafkaSourceConfig, kafkaSourceSchema, validateKafkaSource } from '../sources/kafka/index.ts';
import { offsetsAdapterOf } from '../worker/index.ts';

/** A connector as the offsets commands see it. */
export interface OffsetsConnector {
  readonly name: string;
  /** `source.type`: kafka (consumer group offsets) or eventhubs (checkpoints: sequence numbers). */
  readonly sourceType: 'kafka' | 'eventhubs';
  readonly source: KafkaSourceConfig | EventHubsSourceConfig;
}

/**
 * Reads a connector file and validates its source's keys (`source.type`: kafka by default, or eventhubs).
 * @returns the connector, or every problem as `file: path: message` lines.
 */
export function readOffsetsConnector(
  file: string,
  secrets: SecretSources = processSecrets,
): { connector: OffsetsConnector } | { problems: string[] } {
  const { definition, issues } = readDefinitionFile(file);
  if (definition === undefined) return { problems: lines(file, issues) };
  const sourceType = definition.config['source.type'] === 'eventhubs' ? 'eventhubs' : 'kafka';
  const keys = new Set(Object.keys(sourceType === 'eventhubs' ? eventHubsSourceKeys : kafkaSourceSchema));
  const sourceKeys = Object.fromEntries(Object.entries(definition.config).filter(([key]) => keys.has(key)));
  const resolved = resolveSecrets(sourceKeys, 'config', secrets);
  const validate = sourceType === 'eventhubs' ? validateEventHubsSource : validateKafkaSource;
  const { config, issues: invalid } = validate(resolved.properties, definition.name, 'config');
  const problems = [...resolved.issues, ...invalid];
  if (config === undefined || problems.length > 0) return { problems: lines(file, problems) };
  return { connector: { name: definition.name, sourceType, source: config } };
}

function lines(file: string, issues: readonly ConfigIssue[]): string[] {
  return issues.map((issue) =>
    issue.path === file ? `${file}: ${issue.message}` : `${file}: ${issue.path}: ${issue.message}`,
  );
}

/**
 * The offsets adapter of the connector's source (a kafkajs client, or the Event Hubs SDK). Its logs go to stderr (stdout carries the
 * tables and JSON), at `LOGBRIDGE_LOG_LEVEL` (default `error`: kafkajs' own warnings repeat what the command
 * reports), secrets redacted.
 */
export function offsetsAdapter(connector: OffsetsConnector, env = process.env): OffsetsAdapter {
  const logger: Logger = pino(
    {
      level: env['LOGBRIDGE_LOG_LEVEL'] ?? 'error',
      base: { connector: connector.name },
      redact: { paths: LOG_REDACT_PATHS, censor: '[hidden]' },
    },
    pino.destination(2),
  );
  return offsetsAdapterOf(connector, logger);
}
