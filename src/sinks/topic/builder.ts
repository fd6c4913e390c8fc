/**
 * The topic builder shared by the `solace` and `mqtt` sinks: the route's topic (`event.meta.topic`) or the sink's
 * template rendered over the event, then an optional regex rewrite (fluentd's `topic_rewrite_pattern` /
 * `topic_rewrite_replacement`, applied with every match replaced, like Ruby's `gsub`), then the validity check of
 * `rules.ts`. Substituted values are sanitised so that a value can never add a level or a wildcard.
 * @module
 */
import { compileTemplate, type LogEvent, type Template, TemplateSyntaxError } from '../../engine/index.ts';
import { compileReplacePattern } from '../../transforms/index.ts';
import { sanitizeValue, templateLiterals, topicProblem } from './rules.ts';

/** What the builder is made from. */
export interface TopicSettings {
  /** Template over event fields, the Kafka key and headers, e.g. `acme/${kubernetes.cluster:-unknown}/…`. */
  readonly template: string;
  /** Regex applied to the topic; every match is replaced by `rewriteReplacement`. */
  readonly rewritePattern?: string | undefined;
  /** Replacement text, with `$1`… for groups (JavaScript `String.prototype.replace` syntax). Default ''. */
  readonly rewriteReplacement?: string | undefined;
}

/** A topic, or why the event has none. */
export type TopicResult = { readonly topic: string } | { readonly problem: string };

/** Builds topics for events. */
export interface TopicBuilder {
  /** Never throws: an event whose topic cannot be made valid gets the reason instead. */
  build(event: LogEvent): TopicResult;
}

/** Rendered topics longer than this are refused before the rewrite runs (bounds regex work on hostile values). */
const MAX_RENDERED_CHARS = 16_384;
/** Distinct valid topics remembered per builder before the set starts over. */
const VALID_CACHE_SIZE = 10_000;
const UNSAFE_LITERAL = /[*>+#\p{Cc}\p{Noncharacter_Code_Point}]/u;

/**
 * Checks topic settings at configuration time.
 * @returns problems, keyed by which setting (`template`, `rewritePattern`) is at fault.
 */
export function checkTopicSettings(
  settings: TopicSettings,
): { readonly setting: 'template' | 'rewritePattern'; readonly message: string }[] {
  const problems: { setting: 'template' | 'rewritePattern'; message: string }[] = [];
  try {
    compileTemplate(settings.template);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    problems.push({ setting: 'template', message: error.message });
  }
  const literals = templateLiterals(settings.template);
  if (literals.some((run) => UNSAFE_LITERAL.test(run))) {
    problems.push({
      setting: 'template',
      message: 'holds a wildcard (*, >, +, #) or control character outside ${…}: a publish topic may not',
    });
  }
  const { template } = settings;
  const emptyLevel =
    literals.some((run) => run.includes('//')) || template.startsWith('/') || template.endsWith('/');
  if (/^(?:[_#]|\$\$)/.test(template) || emptyLevel) {
    problems.push({
      setting: 'template',
      message: 'starts with a reserved character (_, # or $) or has an empty level (//, or / at either end)',
    });
  }
  if (settings.rewritePattern !== undefined) {
    const pattern = compileReplacePattern(settings.rewritePattern);
    if (!(pattern instanceof RegExp)) problems.push({ setting: 'rewritePattern', message: pattern.problem });
  }
  return problems;
}

/**
 * Creates a builder.
 * @throws TemplateSyntaxError or SyntaxError for settings that {@link checkTopicSettings} refuses.
 */
export function createTopicBuilder(settings: TopicSettings): TopicBuilder {
  const template: Template = compileTemplate(settings.template);
  // User patterns run in the linear-time engine (transforms/safe-regex.ts): a topic cannot stall the sink.
  const compiled =
    settings.rewritePattern === undefined ? undefined : compileReplacePattern(settings.rewritePattern);
  if (compiled !== undefined && !(compiled instanceof RegExp)) throw new SyntaxError(compiled.problem);
  const pattern = compiled;
  const replacement = settings.rewriteReplacement ?? '';
  // Topics repeat (cluster × app × container): each distinct one is checked once.
  const valid = new Set<string>();
  return {
    build(event) {
      const routed = event.meta.topic;
      const rendered = routed !== undefined && routed !== '' ? routed : template.render(event, sanitizeValue);
      if (rendered.length > MAX_RENDERED_CHARS) {
        return { problem: `the topic is ${rendered.length} characters long, over ${MAX_RENDERED_CHARS}` };
      }
      const topic = pattern === undefined ? rendered : rendered.replace(pattern, replacement);
      if (valid.has(topic)) return { topic };
      const problem = topicProblem(topic);
      if (problem !== undefined) return { problem: `${problem}: "${preview(topic)}"` };
      if (valid.size >= VALID_CACHE_SIZE) valid.clear();
      valid.add(topic);
      return { topic };
    },
  };
}

/** A topic as shown in a reason: at most 300 characters, well-formed. */
function preview(topic: string): string {
  const shown = topic.length > 300 ? `${topic.slice(0, 300)}…` : topic;
  return shown.toWellFormed();
}
