/**
 * Field conditions, as Fluent Bit's grep filter writes them (`Regex KEY REGEX`): a field path and a pattern that
 * its value must match. Shared by `filter` (include/exclude) and `route` (rule `when`/`unless`).
 * @module
 */
import type { ConfigIssue } from '../config/index.ts';
import type { LogEvent } from '../engine/index.ts';
import { type FieldPath, fieldText, isFieldPath, parseFieldPath } from './field-path.ts';
import { compileUserRegex } from './safe-regex.ts';

/** A compiled condition. */
export interface FieldCondition {
  readonly path: FieldPath;
  readonly regex: RegExp;
}

/**
 * True when the field exists and its text matches. The pattern sees at most `maxChars` leading characters of the
 * value (user patterns never run unbounded; see safe-regex.ts). A missing or `null` field never matches.
 */
export function conditionHolds(condition: FieldCondition, event: LogEvent, maxChars: number): boolean {
  const text = fieldText(event, condition.path);
  if (text === undefined) return false;
  return condition.regex.test(text.length > maxChars ? text.slice(0, maxChars) : text);
}

/**
 * Compiles the conditions found under `prefix` in `options` (`include.kubernetes.namespace_name=^prod$`): the rest
 * of each key is the field path, the value the pattern. Problems are reported at `path.<key>`.
 */
export function compileConditions(
  options: Readonly<Record<string, unknown>>,
  prefix: string,
  path: string,
): { conditions: FieldCondition[]; issues: ConfigIssue[] } {
  const conditions: FieldCondition[] = [];
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!key.startsWith(prefix)) continue;
    const where = `${path}.${key}`;
    const fieldPath = parseFieldPath(key.slice(prefix.length));
    if (!isFieldPath(fieldPath)) {
      issues.push({ path: where, message: `names no field: ${fieldPath.problem}` });
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      issues.push({ path: where, message: 'must be a regular expression' });
      continue;
    }
    const regex = compileUserRegex(value);
    if (regex instanceof RegExp) conditions.push({ path: fieldPath, regex });
    else issues.push({ path: where, message: regex.problem });
  }
  return { conditions, issues };
}
