/**
 * The message settings that the `solace` and `mqtt` sinks share (topic, rewrite, size limit, user properties), read
 * from each sink's own keys and checked at configuration time.
 * @module
 */
import type { ConfigIssue } from '../../config/index.ts';
import { compileTemplate, TemplateSyntaxError } from '../../engine/index.ts';
import type { EncoderSettings, OffsetType } from './encoder.ts';
import { checkTopicSettings, createTopicBuilder } from './builder.ts';

/** The raw values, with the key each came from. */
export interface MessageValues {
  readonly keys: {
    readonly topic: string;
    readonly rewritePattern: string;
    readonly maxMessageBytes: string;
    readonly userProperties: string;
  };
  readonly topic: string;
  readonly rewritePattern: string | undefined;
  readonly rewriteReplacement: string | undefined;
  readonly maxMessageBytes: number;
  readonly userProperties: readonly string[];
  readonly emitHeaders: boolean;
  readonly offsetType: OffsetType;
}

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const RESERVED = new Set(['k_topic', 'k_partition', 'k_offset']);

/**
 * Checks the values and builds the encoder settings.
 * @param path prefix of issue paths, e.g. `config`.
 */
export function messageSettingsFrom(
  values: MessageValues,
  path: string,
): { settings?: EncoderSettings; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const topicSettings = {
    template: values.topic,
    rewritePattern: values.rewritePattern,
    rewriteReplacement: values.rewriteReplacement,
  };
  for (const problem of checkTopicSettings(topicSettings)) {
    const key = problem.setting === 'template' ? values.keys.topic : values.keys.rewritePattern;
    issues.push({ path: `${path}.${key}`, message: problem.message });
  }
  const extras = values.userProperties.map((entry) =>
    parseProperty(entry, `${path}.${values.keys.userProperties}`),
  );
  for (const extra of extras) if ('issue' in extra) issues.push(extra.issue);
  if (issues.length > 0) return { issues };
  return {
    settings: {
      topics: createTopicBuilder(topicSettings),
      maxMessageBytes: values.maxMessageBytes,
      maxMessageKey: values.keys.maxMessageBytes,
      offsetType: values.offsetType,
      extraProperties: extras.flatMap((extra) => ('issue' in extra ? [] : [extra])),
      emitHeaders: values.emitHeaders,
    },
    issues,
  };
}

function parseProperty(
  entry: string,
  where: string,
): { name: string; template: ReturnType<typeof compileTemplate> } | { issue: ConfigIssue } {
  const equals = entry.indexOf('=');
  const name = equals < 0 ? entry : entry.slice(0, equals).trim();
  if (equals < 0 || !PROPERTY_NAME.test(name) || RESERVED.has(name)) {
    return {
      issue: {
        path: where,
        message: `"${entry}" must be name=template with a name of letters, digits, _ . - (not k_topic, k_partition, k_offset)`,
      },
    };
  }
  try {
    return { name, template: compileTemplate(entry.slice(equals + 1).trim()) };
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return { issue: { path: where, message: error.message } };
  }
}
