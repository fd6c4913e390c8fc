/**
 * The transform chain of a connector, in Kafka Connect's SMT shape: `transforms=cri,k8s,mask` lists aliases in
 * order, `transforms.<alias>.type` names a transform type and `transforms.<alias>.<option>` sets its options.
 * Validation reports every problem at its key (`config.transforms.mask.mode`) and suggests the closest known key.
 * @module
 */
import { closestKey, type ConfigIssue } from '../config/index.ts';
import type { NamedTransform } from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';
import type { TransformContext, TransformType } from './spec.ts';

/** What the transforms know about their connector. */
export type ChainContext = Omit<TransformContext, 'alias' | 'path'> & {
  /** Prefix of issue paths, e.g. `config`. */
  readonly path: string;
};

/** One validated transform of a chain. */
export interface ValidTransform {
  readonly type: TransformType<unknown>;
  readonly config: unknown;
  readonly context: TransformContext;
}

const ALIAS = /^[A-Za-z0-9_-]{1,64}$/;
const PREFIX = 'transforms.';

/** True for the keys the transforms own (`transforms` and `transforms.*`). */
export function isTransformKey(key: string): boolean {
  return key === 'transforms' || key.startsWith(PREFIX);
}

/** Validates the chain of a connector's properties against the given transform types. No side effects. */
export function validateTransforms(
  properties: Readonly<Record<string, unknown>>,
  context: ChainContext,
  types: readonly TransformType<unknown>[],
): { transforms: ValidTransform[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const aliases = listedAliases(properties.transforms, `${context.path}.transforms`, issues);
  const options = optionsByAlias(properties, context.path, issues);
  for (const alias of options.keys()) {
    if (!aliases.includes(alias)) {
      const hint = closestKey(alias, aliases);
      issues.push({
        path: `${context.path}.transforms.${alias}`,
        message: `is not listed in transforms${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      });
    }
  }
  const transforms: ValidTransform[] = [];
  for (const alias of aliases) {
    const transformContext = { ...context, alias, path: `${context.path}.transforms.${alias}` };
    const valid = validateOne(options.get(alias) ?? {}, transformContext, types, issues);
    if (valid !== undefined) transforms.push(valid);
  }
  return { transforms, issues };
}

/** Builds the chain; `counters` gives each transform its counters by alias. */
export function createTransforms(
  transforms: readonly ValidTransform[],
  counters: (alias: string) => TransformCounters,
): NamedTransform[] {
  return transforms.map(({ type, config, context }) =>
    type.create(config, context, { counters: counters(context.alias) }),
  );
}

function listedAliases(value: unknown, where: string, issues: ConfigIssue[]): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value !== 'string') {
    issues.push({
      path: where,
      message: `must be a comma-separated list of aliases, got ${JSON.stringify(value)}`,
    });
    return [];
  }
  const aliases: string[] = [];
  for (const alias of value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    if (!ALIAS.test(alias))
      issues.push({ path: where, message: `"${alias}" must be 1-64 letters, digits, "-" or "_"` });
    else if (aliases.includes(alias)) issues.push({ path: where, message: `"${alias}" is listed twice` });
    else aliases.push(alias);
  }
  return aliases;
}

function optionsByAlias(
  properties: Readonly<Record<string, unknown>>,
  path: string,
  issues: ConfigIssue[],
): Map<string, Record<string, unknown>> {
  const byAlias = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(properties)) {
    if (!key.startsWith(PREFIX)) continue;
    const rest = key.slice(PREFIX.length);
    const dot = rest.indexOf('.');
    if (dot <= 0 || dot === rest.length - 1) {
      issues.push({ path: `${path}.${key}`, message: 'must be transforms.<alias>.<option>' });
      continue;
    }
    const alias = rest.slice(0, dot);
    const options = byAlias.get(alias) ?? {};
    options[rest.slice(dot + 1)] = value;
    byAlias.set(alias, options);
  }
  return byAlias;
}

function validateOne(
  options: Readonly<Record<string, unknown>>,
  context: TransformContext,
  types: readonly TransformType<unknown>[],
  issues: ConfigIssue[],
): ValidTransform | undefined {
  const { type: name, ...rest } = options;
  const known = types.map((t) => t.type);
  const type = types.find((candidate) => candidate.type === name);
  if (type === undefined) {
    const hint = typeof name === 'string' ? closestKey(name, known) : undefined;
    issues.push({
      path: `${context.path}.type`,
      message:
        name === undefined || name === ''
          ? `is required: one of ${known.join(', ')}`
          : `unknown transform type ${JSON.stringify(name)}${hint === undefined ? `; known: ${known.join(', ')}` : `; did you mean "${hint}"?`}`,
    });
    return undefined;
  }
  issues.push(...unknownOptions(rest, type, context.path));
  const result = type.validate(rest, context);
  issues.push(...result.issues);
  return result.config === undefined || result.issues.length > 0
    ? undefined
    : { type, config: result.config, context };
}

function unknownOptions(
  options: Readonly<Record<string, unknown>>,
  type: TransformType<unknown>,
  path: string,
): ConfigIssue[] {
  const fixed = Object.keys(type.schema);
  const known = ['type', ...fixed, ...type.dynamicPrefixes.map((prefix) => `${prefix}<name>`)];
  return Object.keys(options)
    .filter((key) => !fixed.includes(key) && !type.dynamicPrefixes.some((prefix) => key.startsWith(prefix)))
    .map((key) => {
      const hint = closestKey(key, known);
      return {
        path: `${path}.${key}`,
        message: `is not an option of ${type.type}${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      };
    });
}
