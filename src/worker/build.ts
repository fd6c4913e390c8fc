/**
 * Builds a connector from its definition: secrets resolved, every key validated against the schemas in play
 * (unknown keys suggest the closest known one), then the source, transform chain, sinks and dead-letter writer
 * created.
 * @module
 */
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  closestKey,
  type ConfigIssue,
  type ConnectorDefinition,
  connectorSchema,
  parseOptions,
  hideResolved,
  type ReferencePolicy,
  resolveSecrets,
  type Schema,
  type Values,
} from '../config/index.ts';
import {
  type ConnectorParts,
  createDecoder,
  type EngineMetrics,
  type RecordFormat,
} from '../engine/index.ts';
import { sinkSpecs, type SinkSpec } from '../sinks/index.ts';
import { InvalidConnectorError } from './errors.ts';
import {
  createKafkaSource,
  type DeadLetterSettings,
  kafkaSourceSchema,
  type KafkaSourceConfig,
  parseConnectionString,
  validateKafkaSource,
} from '../sources/kafka/index.ts';
import {
  createEventHubsSource,
  type EventHubsSourceConfig,
  eventHubsSourceKeys,
  validateEventHubsSource,
} from '../sources/eventhubs/index.ts';
import {
  createTransforms,
  isTransformKey,
  transformCountersFor,
  transformTypes,
  type ValidTransform,
  validateTransforms,
} from '../transforms/index.ts';

import { sourceSchemaOf } from './options.ts';
/** A definition that passed validation, ready to build. */
export interface ValidConnector {
  readonly name: string;
  readonly common: Values<typeof connectorSchema>;
  /** `source.type`: which of the two source configs `source` is. */
  readonly sourceType: 'kafka' | 'eventhubs';
  readonly source: KafkaSourceConfig | EventHubsSourceConfig;
  /** The transform chain (`transforms=…`), in order. */
  readonly transforms: readonly ValidTransform[];
  readonly sinks: readonly { readonly spec: SinkSpec<unknown>; readonly config: unknown }[];
}

/** Options of {@link validateConnector}. */
export interface ValidateOptions {
  /**
   * Offline (CI without the secrets): `${env:}`/`${file:}` references are not resolved and the values they stand
   * for are not checked, nor are the files that file-path keys name when they are absent here.
   */
  readonly offline?: boolean;
  /** Refuses references before they are read (definitions from API callers). */
  readonly references?: ReferencePolicy | undefined;
}

/**
 * The Kafka source settings of a connector, for the tools that read through the Kafka endpoint (replay, preview from
 * the topic, the console's offset plans). @throws InvalidConnectorError for another source type.
 */
export function kafkaSourceOf(valid: ValidConnector, tool: string): KafkaSourceConfig {
  if (valid.sourceType === 'kafka') return valid.source as KafkaSourceConfig;
  throw new InvalidConnectorError(valid.name, [
    {
      path: 'config.source.type',
      message: `${tool} reads through the Kafka endpoint and does not support source.type=${valid.sourceType} yet`,
    },
  ]);
}

/** Validates a definition completely, without side effects. */
export function validateConnector(
  definition: ConnectorDefinition,
  options: ValidateOptions = {},
): {
  connector?: ValidConnector;
  issues: ConfigIssue[];
  /** Offline: paths of the keys whose checks were skipped. */
  skipped: string[];
} {
  const path = 'config';
  const offline = options.offline === true;
  const secrets = offline
    ? { properties: withPlaceholders(definition.config), issues: [] }
    : resolveSecrets(definition.config, path, undefined, options.references);
  const checked = parts(definition.name, secrets.properties, path);
  const all = [...secrets.issues, ...checked.issues];
  // One error per unresolvable reference: the empty value it leaves would also be reported as missing.
  const unresolved = new Set(secrets.issues.map((issue) => issue.path));
  const skipped = offline ? offlineSkips(definition.config, path) : [];
  const kept = all.filter(
    (issue, index) =>
      !skipped.includes(issue.path) && (index < secrets.issues.length || !unresolved.has(issue.path)),
  );
  const issues = hideResolved(kept, secrets.properties);
  if (issues.length > 0 || offline || checked.connector === undefined) return { issues, skipped };
  return { connector: checked.connector, issues, skipped };
}

const REFERENCE = /\$\{(env|file):/;

/**
 * Offline, a value with a reference stands for a placeholder of the key's shape, so that the checks of other keys
 * that depend on it (the Event Hubs namespace of a connection string) still run; its own checks are skipped.
 */
function withPlaceholders(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === 'string' && REFERENCE.test(value) ? (OFFLINE_PLACEHOLDERS[key] ?? 'offline') : value,
    ]),
  );
}

const OFFLINE_PLACEHOLDERS: Readonly<Record<string, string>> = {
  'eventhubs.connection.string':
    'Endpoint=sb://offline.servicebus.windows.net/;SharedAccessKeyName=offline;SharedAccessKey=offline',
};

/** Keys naming files that validation reads (CA files). */
const FILE_KEYS = new Set(['splunk.hec.ssl.trust.store.path']);

function offlineSkips(config: Readonly<Record<string, unknown>>, path: string): string[] {
  return Object.entries(config)
    .filter(
      ([key, value]) =>
        typeof value === 'string' &&
        (/\$\{(env|file):/.test(value) || (FILE_KEYS.has(key) && !existsSync(value))),
    )
    .map(([key]) => `${path}.${key}`);
}

/** Validates resolved properties: every issue, and the connector when there is none. */
function parts(
  name: string,
  properties: Readonly<Record<string, unknown>>,
  path: string,
): { connector?: ValidConnector; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const common = parseOptions(connectorSchema, properties, path);
  issues.push(...common.issues);
  const sourceType = common.values['source.type'] as 'kafka' | 'eventhubs';
  const source =
    sourceType === 'eventhubs'
      ? validateEventHubsSource(properties, name, path)
      : validateKafkaSource(properties, name, path);
  issues.push(...source.issues);
  const sinks: { spec: SinkSpec<unknown>; config: unknown }[] = [];
  for (const type of common.values.sinks) {
    const spec = sinkSpecs.find((candidate) => candidate.type === type);
    if (spec === undefined) {
      issues.push({
        path: `${path}.sinks`,
        message: `unknown sink "${type}"; known: ${sinkSpecs.map((s) => s.type).join(', ')}`,
      });
      continue;
    }
    const result = spec.validate(properties, { connector: name, topics: source.config?.topics ?? [], path });
    issues.push(...result.issues);
    if (result.config !== undefined) sinks.push({ spec, config: result.config });
  }
  const chain = validateChain(properties, name, source.config, path);
  issues.push(...chain.issues);
  issues.push(...unknownKeys(properties, path));
  issues.push(...crossChecks(common.values, path));
  if (issues.length > 0 || source.config === undefined) return { issues };
  const connector = { name, common: common.values, sourceType, source: source.config, sinks };
  return { connector: { ...connector, transforms: chain.transforms }, issues };
}

/** Validates `transforms=…` and `transforms.<alias>.*`, telling the transforms what they need of the source. */
function validateChain(
  properties: Readonly<Record<string, unknown>>,
  name: string,
  source: KafkaSourceConfig | EventHubsSourceConfig | undefined,
  path: string,
): ReturnType<typeof validateTransforms> {
  const context = {
    connector: name,
    path,
    topics: source?.topics ?? [],
    eventHubsNamespace: eventHubsNamespaceOf(source),
    consumerGroup: source?.groupId ?? `logbridge-${name}`,
  };
  return validateTransforms(properties, context, transformTypes);
}

/** The Event Hubs namespace host name, from the connection string or the Entra ID settings. */
function eventHubsNamespaceOf(
  source: KafkaSourceConfig | EventHubsSourceConfig | undefined,
): string | undefined {
  if (source?.connectionString !== undefined) {
    try {
      return parseConnectionString(source.connectionString.reveal()).host;
    } catch {
      return undefined;
    }
  }
  return source?.oauth?.namespace;
}

/** Services a connector is built with. */
export interface BuildDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly metrics: EngineMetrics;
}

/** The dead-letter topic's settings; a value cut to fit is counted, for its bytes are lost. */
function deadLetterSettings(
  topic: string,
  maxRecordBytes: number,
  metrics: EngineMetrics,
  connector: string,
): DeadLetterSettings {
  return {
    topic,
    maxRecordBytes,
    onTruncated: (originalBytes, keptBytes) => {
      metrics.deadLettersTruncated.inc({ connector });
      metrics.deadLetterBytesCut.inc({ connector }, originalBytes - keptBytes);
    },
  };
}

/** The connector's decoder. Without transforms nothing can change a body, so sinks may write its text as read. */
function decoderFor({ common, transforms }: ValidConnector): ConnectorParts['decode'] {
  return createDecoder({
    format: common['record.format'] as RecordFormat,
    maxRecordBytes: common['record.max.bytes'],
    keepJsonText: transforms.length === 0,
  });
}

/** Creates the connector's parts (clients are created, not connected). */
export function buildConnector(valid: ValidConnector, deps: BuildDeps): ConnectorParts {
  const { common, name } = valid;
  const logger = deps.logger.child({ connector: name });
  const dlqTopic = common['errors.deadletterqueue.topic.name'];
  const dlq =
    dlqTopic === ''
      ? undefined
      : deadLetterSettings(dlqTopic, common['errors.deadletterqueue.max.bytes'], deps.metrics, name);
  const { source, deadLetters } =
    valid.sourceType === 'eventhubs'
      ? createEventHubsSource(valid.source as EventHubsSourceConfig, dlq, logger)
      : createKafkaSource(valid.source as KafkaSourceConfig, dlq, logger);
  const context = { connector: name, topics: valid.source.topics, path: 'config' };
  return {
    name,
    source,
    decode: decoderFor(valid),
    transforms: createTransforms(valid.transforms, transformCountersFor(deps.registry, name)),
    sinks: valid.sinks.map(({ spec, config }) =>
      spec.create(config, context, {
        logger: logger.child({ component: spec.type }),
        registry: deps.registry,
      }),
    ),
    deadLetters,
    tolerance: common['errors.tolerance'] as 'none' | 'all',
    budget: { maxRecords: common['inflight.max.records'], maxBytes: common['inflight.max.bytes'] },
    commit: { intervalMs: common['offset.flush.interval.ms'], minGapMs: 250 },
    drainTimeoutMs: common['drain.timeout.ms'],
    backoff: {
      baseMs: common['errors.retry.backoff.initial.ms'],
      capMs: common['errors.retry.delay.max.ms'],
    },
    metrics: deps.metrics,
    logger,
  };
}

function unknownKeys(properties: Readonly<Record<string, unknown>>, path: string): ConfigIssue[] {
  const schemas: Schema[] = [
    connectorSchema,
    sourceSchemaOf(properties),
    ...sinkSpecs.map((spec) => spec.schema),
  ];
  const known = ['name', 'transforms', ...schemas.flatMap((schema) => Object.keys(schema))];
  const eventhubs = properties['source.type'] === 'eventhubs';
  const otherSource = Object.keys(eventhubs ? kafkaSourceSchema : eventHubsSourceKeys);
  // The transforms report their own keys (validateTransforms), with suggestions among their options.
  return Object.keys(properties)
    .filter((key) => !known.includes(key) && !isTransformKey(key))
    .map((key) => {
      if (otherSource.includes(key)) {
        const other = eventhubs ? 'kafka (the default)' : 'eventhubs';
        return { path: `${path}.${key}`, message: `applies to source.type=${other} only` };
      }
      const hint = closestKey(key, known);
      return {
        path: `${path}.${key}`,
        message: `is not a known key${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      };
    });
}

function crossChecks(common: Values<typeof connectorSchema>, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (common['errors.tolerance'] === 'all' && common['errors.deadletterqueue.topic.name'] === '') {
    issues.push({
      path: `${path}.errors.deadletterqueue.topic.name`,
      message: 'is required with errors.tolerance=all: records that cannot be delivered must go somewhere',
    });
  }
  if (common.sinks.length === 0)
    issues.push({ path: `${path}.sinks`, message: 'must name at least one sink' });
  return issues;
}
