/**
 * `filter`: keeps or drops events by field patterns, with Fluent Bit grep's semantics: `include.<field>=<regex>`
 * keeps only events whose field matches (all include rules by default, any with `logical.op=or`),
 * `exclude.<field>=<regex>` drops events whose field matches any exclude rule; a missing field matches nothing.
 * Pods opt out with an annotation (`logbridge.io/exclude: "true"`, like Fluent Bit's `K8S-Logging.Exclude`), read
 * from `kubernetes.annotations`. A dropped event's record settles as dropped on purpose and is counted.
 * @module
 */
import { defineSchema, parseOptions } from '../config/index.ts';
import { DROP, type LogEvent, type TransformFn } from '../engine/index.ts';
import { compileConditions, conditionHolds, type FieldCondition } from './conditions.ts';
import type { TransformCounters } from './counters.ts';
import { valueAt } from './field-path.ts';
import type { TransformType } from './spec.ts';

/** Options of `filter` with a fixed key (rules are `include.<field>` and `exclude.<field>`). */
export const filterSchema = defineSchema({
  'logical.op': {
    type: 'enum',
    values: ['and', 'or'],
    default: 'and',
    doc: 'and: an event must match every include rule; or: any one of them (Fluent Bit Logical_Op).',
  },
  'annotation.exclude': {
    type: 'string',
    default: 'logbridge.io/exclude',
    doc: 'Pod annotation that drops the pod\'s events when "true" (read from kubernetes.annotations); none: ignore annotations.',
  },
  'max.match.chars': {
    type: 'int',
    min: 64,
    default: 65536,
    doc: 'Patterns see at most this many leading characters of a value (a bound on user regular expressions).',
  },
});

/** Validated `filter` settings. */
export interface FilterConfig {
  readonly include: readonly FieldCondition[];
  readonly exclude: readonly FieldCondition[];
  readonly matchAll: boolean;
  readonly annotation: string;
  readonly maxMatchChars: number;
}

const ANNOTATIONS = ['kubernetes', 'annotations'];

/** Compiles `filter`. Counts `excluded_annotation`, `excluded` and `not_included`. */
export function createFilter(config: FilterConfig, counters: TransformCounters): TransformFn {
  const { include, exclude, matchAll, annotation, maxMatchChars } = config;
  const holds = (condition: FieldCondition, event: LogEvent): boolean =>
    conditionHolds(condition, event, maxMatchChars);
  return (event) => {
    if (annotation !== '' && optedOut(event, annotation)) {
      counters.add('excluded_annotation');
      return DROP;
    }
    if (exclude.some((condition) => holds(condition, event))) {
      counters.add('excluded');
      return DROP;
    }
    if (include.length > 0) {
      const kept = matchAll
        ? include.every((condition) => holds(condition, event))
        : include.some((condition) => holds(condition, event));
      if (!kept) {
        counters.add('not_included');
        return DROP;
      }
    }
    return event;
  };
}

function optedOut(event: LogEvent, annotation: string): boolean {
  const annotations = valueAt(event.body, ANNOTATIONS);
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return false;
  const value = annotations[annotation];
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/** The `filter` transform type. */
export const filterType: TransformType<FilterConfig> = {
  type: 'filter',
  schema: filterSchema,
  dynamicPrefixes: ['include.', 'exclude.'],
  validate(options, context) {
    const { values, issues } = parseOptions(filterSchema, options, context.path);
    const include = compileConditions(options, 'include.', context.path);
    const exclude = compileConditions(options, 'exclude.', context.path);
    issues.push(...include.issues, ...exclude.issues);
    if (issues.length > 0) return { issues };
    const config = {
      include: include.conditions,
      exclude: exclude.conditions,
      matchAll: values['logical.op'] === 'and',
      annotation: values['annotation.exclude'] === 'none' ? '' : values['annotation.exclude'],
      maxMatchChars: values['max.match.chars'],
    };
    return { config, issues };
  },
  create: (config, context, deps) => ({ name: context.alias, apply: createFilter(config, deps.counters) }),
};
