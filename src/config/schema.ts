/**
 * Connector option schemas: each component declares its keys (Kafka Connect-style flat string properties) with a
 * type, default, doc and whether it is secret; `parseOptions` turns properties into typed values and reports every
 * problem with its key. The same declarations generate the configuration reference.
 * @module
 */

/** One option. */
export type OptionSpec =
  | (OptionBase & { readonly type: 'string'; readonly default?: string })
  | (OptionBase & {
      readonly type: 'int';
      readonly default?: number;
      readonly min?: number;
      readonly max?: number;
    })
  | (OptionBase & { readonly type: 'bool'; readonly default?: boolean })
  | (OptionBase & { readonly type: 'list'; readonly default?: readonly string[] })
  | (OptionBase & { readonly type: 'enum'; readonly values: readonly string[]; readonly default?: string });

interface OptionBase {
  readonly doc: string;
  readonly required?: boolean;
  /** Secret: shown as `[hidden]` in every output, never logged. */
  readonly sensitive?: boolean;
}

/** A set of options, by key. */
export type Schema = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O extends { type: 'int' }
  ? number
  : O extends { type: 'bool' }
    ? boolean
    : O extends { type: 'list' }
      ? readonly string[]
      : string;

/** Typed values of a schema: options with a default or `required` are always present. */
export type Values<S extends Schema> = {
  readonly [K in keyof S]: S[K] extends { required: true } | { default: unknown }
    ? ValueOf<S[K]>
    : ValueOf<S[K]> | undefined;
};

/** A configuration problem: the key (or path) and what to do. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Declares a schema, keeping its literal types. */
export function defineSchema<const S extends Schema>(schema: S): S {
  return schema;
}

/**
 * Reads the schema's keys from `properties` (string values, as Kafka Connect stores them; JSON numbers and booleans
 * are accepted too). Unknown keys are not reported here: the caller knows every schema in play.
 * @param path prefix of issue paths, e.g. `config`.
 */
export function parseOptions<S extends Schema>(
  schema: S,
  properties: Readonly<Record<string, unknown>>,
  path: string,
): { values: Values<S>; issues: ConfigIssue[] } {
  const values: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const raw = properties[key];
    const where = `${path}.${key}`;
    if (raw === undefined || raw === null || raw === '') {
      if (spec.required === true) issues.push({ path: where, message: `is required: ${spec.doc}` });
      // A missing required value still gets a value of its type, so that validation can go on and report more.
      values[key] = spec.default ?? (spec.required === true ? emptyOf(spec) : undefined);
      continue;
    }
    const parsed = parseValue(spec, raw);
    if (isProblem(parsed)) {
      issues.push({ path: where, message: parsed.problem });
      values[key] = spec.default;
    } else {
      values[key] = parsed;
    }
  }
  return { values: values as Values<S>, issues };
}

function emptyOf(spec: OptionSpec): unknown {
  return { string: '', int: 0, bool: false, list: [], enum: '' }[spec.type];
}

/** Why a value was refused. */
interface Problem {
  readonly problem: string;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' && value !== null && typeof (value as Partial<Problem>).problem === 'string'
  );
}

function parseValue(spec: OptionSpec, raw: unknown): unknown {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.type) {
    case 'string':
      return typeof text === 'string' ? text : { problem: `must be a string, got ${JSON.stringify(raw)}` };
    case 'int':
      return parseInteger(spec, text);
    case 'bool':
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      return { problem: `must be true or false, got ${JSON.stringify(raw)}` };
    case 'list':
      if (typeof text !== 'string')
        return { problem: `must be a comma-separated string, got ${JSON.stringify(raw)}` };
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'enum':
      if (typeof text === 'string' && spec.values.includes(text)) return text;
      return { problem: `must be one of ${spec.values.join(', ')}, got ${JSON.stringify(raw)}` };
  }
}

function parseInteger(spec: OptionSpec & { type: 'int' }, text: unknown): unknown {
  const value =
    typeof text === 'number' ? text : typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) return { problem: `must be an integer, got ${JSON.stringify(text)}` };
  if (spec.min !== undefined && value < spec.min)
    return { problem: `must be at least ${spec.min}, got ${value}` };
  if (spec.max !== undefined && value > spec.max)
    return { problem: `must be at most ${spec.max}, got ${value}` };
  return value;
}

/**
 * The known key closest to `key` (Levenshtein distance ≤ 3 or a shared suffix), to suggest in an unknown-key error.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = levenshtein(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(3, Math.floor(key.length / 4)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
