/**
 * What the lab needs to know about the connector it runs: its name (for the status URL and the consumer group),
 * its topics and its dead-letter topic (which the lab creates: like Event Hubs, the broker creates none).
 * @module
 */
import { readDefinitionFile } from '../../src/config/index.ts';
import { LabError } from './lab-error.ts';

/** The parts of a connector definition the lab uses. */
export interface LabConnector {
  readonly file: string;
  readonly name: string;
  readonly topics: readonly string[];
  /** The consumer group (`kafka.group.id`, else logbridge's default `logbridge-<name>`). */
  readonly groupId: string;
  /** Empty when the connector has none. */
  readonly deadLetterTopic: string;
}

/**
 * Reads a connector definition file.
 * @throws LabError when it cannot be read, or its topics are not literal names
 */
export function readLabConnector(file: string): LabConnector {
  const { definition, issues } = readDefinitionFile(file);
  if (definition === undefined) {
    throw new LabError(
      `the connector ${file} cannot be used: ${issues.map((i) => i.message).join('; ')}`,
      'fix the file, or point LAB_CONNECTOR at another one',
    );
  }
  const text = (key: string): string => {
    const value = definition.config[key];
    return typeof value === 'string' ? value : '';
  };
  const topics = text('topics')
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
  if (topics.length === 0 || topics.some((topic) => topic.includes('${'))) {
    throw new LabError(
      `the connector ${file} must list its topics by name (the lab creates them)`,
      'set "topics" to literal names, e.g. "fluentbit-logs,cri-logs"',
    );
  }
  return {
    file,
    name: definition.name,
    topics,
    groupId: text('kafka.group.id') || `logbridge-${definition.name}`,
    deadLetterTopic: text('errors.deadletterqueue.topic.name'),
  };
}
