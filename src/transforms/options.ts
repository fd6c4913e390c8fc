/**
 * Helpers for transform options beyond the schema's fixed keys: templates, and groups of keys under a name the user
 * chose (`rule.<name>.<option>`, `pattern.<name>.<option>`).
 * @module
 */
import { closestKey, type ConfigIssue } from '../config/index.ts';
import { compileTemplate, type Template, TemplateSyntaxError } from '../engine/index.ts';

/** Compiles a template option; a syntax error becomes an issue at `where` and the result is undefined. */
export function templateOption(source: string, where: string, issues: ConfigIssue[]): Template | undefined {
  try {
    return compileTemplate(source);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    issues.push({ path: where, message: error.message });
    return undefined;
  }
}

/**
 * Groups the keys `<prefix><name>.<option>` by name: `{ audit: { when.category: '…', index: '…' } }`. A key with
 * nothing after the name is reported.
 */
export function namedGroups(
  options: Readonly<Record<string, unknown>>,
  prefix: string,
  path: string,
  issues: ConfigIssue[],
): Map<string, Record<string, unknown>> {
  const groups = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(options)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0 || dot === rest.length - 1) {
      issues.push({ path: `${path}.${key}`, message: `must be ${prefix}<name>.<option>` });
      continue;
    }
    const name = rest.slice(0, dot);
    const group = groups.get(name) ?? {};
    group[rest.slice(dot + 1)] = value;
    groups.set(name, group);
  }
  return groups;
}

/** Reports every group whose name is not in the `listKey` list (it would be ignored). */
export function unlistedGroups(
  groups: ReadonlyMap<string, unknown>,
  listed: readonly string[],
  where: { readonly path: string; readonly prefix: string; readonly listKey: string },
): ConfigIssue[] {
  return [...groups.keys()]
    .filter((name) => !listed.includes(name))
    .map((name) => {
      const hint = closestKey(name, listed);
      return {
        path: `${where.path}.${where.prefix}${name}`,
        message:
          `is not listed in ${where.listKey}` +
          (hint === undefined ? `; add "${name}" to it` : `; did you mean "${hint}"?`),
      };
    });
}

/** Reports the options of a group that are not among `known`, suggesting the closest. */
export function unknownGroupOptions(
  group: Readonly<Record<string, unknown>>,
  known: readonly string[],
  where: string,
  dynamicPrefixes: readonly string[] = [],
): ConfigIssue[] {
  return Object.keys(group)
    .filter((key) => !known.includes(key) && !dynamicPrefixes.some((prefix) => key.startsWith(prefix)))
    .map((key) => {
      const hint = closestKey(key, [...known, ...dynamicPrefixes.map((prefix) => `${prefix}<field>`)]);
      return {
        path: `${where}.${key}`,
        message: `is not a known option${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      };
    });
}

/** A string option value, or undefined when absent or empty; a non-string value is reported. */
export function stringValue(value: unknown, where: string, issues: ConfigIssue[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  issues.push({ path: where, message: `must be a string, got ${JSON.stringify(value)}` });
  return undefined;
}
