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
 * The known key closest to `key`, to suggest in an unknown-key error, or undefined when none is close: at most 1
 * edit for keys of up to 4 characters, 2 up to 10, 3 beyond (an adjacent swap counts as one edit), or `key` an
 * abbreviation of it (its letters in order, same first letter: `idx` → `index`).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const allowed = key.length <= 4 ? 1 : key.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (bestDistance <= allowed) return best;
  return known.find((candidate) => isAbbreviation(key, candidate));
}

function isAbbreviation(key: string, candidate: string): boolean {
  if (key.length < 2 || key[0] !== candidate[0] || candidate.length > 2 * key.length) return false;
  let at = 0;
  for (const char of candidate) if (char === key[at]) at += 1;
  return at === key.length;
}

function swapped(a: string, b: string, i: number, j: number): boolean {
  return i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] ?? [];
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (swapped(a, b, i, j)) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
