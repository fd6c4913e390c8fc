/**
 * What the lab needs to know about a connector it runs: its name (for the status URL), its source, topics (or event
 * hub) and consumer group, its dead-letter topic (which the lab creates: like Event Hubs, the broker creates none)
 * and, for an eventhubs connector, its checkpoint file (read for the final count).
 * @module
 */
import { readDefinitionFile } from '../../src/config/index.ts';
import { LabError } from './lab-error.ts';

/** The parts of a connector definition the lab uses. */
export interface LabConnector {
  readonly file: string;
  readonly name: string;
  /** `kafka`: the Kafka endpoint (Kafka in the lab); `eventhubs`: AMQP (the lab's AMQP peer). */
  readonly source: 'kafka' | 'eventhubs';
  /** The topics; for an eventhubs connector, its one event hub. */
  readonly topics: readonly string[];
  /**
   * The consumer group: `kafka.group.id` or `eventhubs.consumer.group`, else logbridge's default
   * `logbridge-<name>` (for both sources).
   */
  readonly groupId: string;
  /** Empty when the connector has none. */
  readonly deadLetterTopic: string;
  /**
   * `eventhubs.checkpoint.file.path` as written, possibly a `${env:NAME}` reference ({@link resolveLabValue});
   * empty for a kafka connector or another checkpoint store.
   */
  readonly checkpointFile: string;
}

/**
 * Reads a connector definition file.
 * @param variable the setting that named the file, for the fix (`LAB_CONNECTOR`, `LAB_AMQP_CONNECTOR`)
 * @throws LabError when it cannot be read, or its topics are not literal names
 */
export function readLabConnector(file: string, variable = 'LAB_CONNECTOR'): LabConnector {
  const { definition, issues } = readDefinitionFile(file);
  if (definition === undefined) {
    throw new LabError(
      `the connector ${file} cannot be used: ${issues.map((i) => i.message).join('; ')}`,
      `fix the file, or point ${variable} at another one`,
    );
  }
  const text = (key: string): string => {
    const value = definition.config[key];
    return typeof value === 'string' ? value : '';
  };
  const source = text('source.type') === 'eventhubs' ? 'eventhubs' : 'kafka';
  const topics = text('topics')
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
  if (topics.length === 0 || topics.some((topic) => topic.includes('${'))) {
    throw new LabError(
      `the connector ${file} must list its ${source === 'kafka' ? 'topics' : 'event hub'} by name (the lab creates ${source === 'kafka' ? 'them' : 'it'})`,
      source === 'kafka'
        ? 'set "topics" to literal names, e.g. "fluentbit-logs,cri-logs"'
        : 'set "topics" to the event hub\'s name, e.g. "fluentbit-amqp"',
    );
  }
  const group = source === 'kafka' ? text('kafka.group.id') : text('eventhubs.consumer.group');
  return {
    file,
    name: definition.name,
    source,
    topics,
    groupId: group || `logbridge-${definition.name}`,
    deadLetterTopic: text('errors.deadletterqueue.topic.name'),
    checkpointFile:
      source === 'eventhubs' && text('eventhubs.checkpoint.store') === 'file'
        ? text('eventhubs.checkpoint.file.path')
        : '',
  };
}

/** A value as logbridge will see it: a whole-value `${env:NAME}` reference is taken from `env`, else as written. */
export function resolveLabValue(value: string, env: Readonly<Record<string, string | undefined>>): string {
  const reference = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  return reference === null ? value : (env[reference[1] ?? ''] ?? '');
}
