/**
 * Connector option schemas: each component declares its keys (Kafka Connect-style flat string properties) with a
 * type, default, doc and whether it is secret; `parseOptions` turns properties into typed values and reports every
 * problem with its key. The same declarations generate the configuration reference.
 *
 * A value that came from a secret reference, and every value of a `sensitive` option, is a {@link Secret}: messages
 * quote the raw input or `[hidden]`, never a resolved value.
 * @module
 */
import { credentialsProblem } from './destinations.ts';
import { HIDDEN, quoted, Secret } from './secret.ts';

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
  /** Secret: its value is a {@link Secret}, shown as `[hidden]` in every output, never logged. */
  readonly sensitive?: boolean;
  /** The value is the path of a file logbridge reads (an API caller may name files under the allowed paths only). */
  readonly file?: boolean;
  /** The value names where data or credentials are sent (checked against the hosts an API caller may reach). */
  readonly destination?: Destination;
}

/**
 * How an option names a destination: URLs (`https://idx:8088`, credentials refused), `host:port` pairs, a bare host
 * name, an Azure connection string's `Endpoint=sb://host/`, or an Azure Storage connection string's Blob service
 * (`BlobEndpoint=`, or the account name and endpoint suffix).
 */
export type Destination =
  | { readonly kind: 'url'; readonly credentialsIn: string }
  | { readonly kind: 'host-port' | 'host' | 'connection-string' | 'storage-connection-string' };

/** A set of options, by key. */
export type Schema = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O extends { sensitive: true }
  ? Secret
  : O extends { type: 'int' }
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
    if (raw === undefined || raw === null || raw === '' || (raw instanceof Secret && raw.empty)) {
      if (spec.required === true) issues.push({ path: where, message: `is required: ${spec.doc}` });
      // A missing required value still gets a value of its type, so that validation can go on and report more.
      values[key] = typed(spec, spec.default ?? (spec.required === true ? emptyOf(spec) : undefined));
      continue;
    }
    const parsed = checkedValue(spec, raw);
    if (isProblem(parsed)) {
      issues.push({ path: where, message: parsed.problem });
      values[key] = typed(spec, spec.default ?? (spec.required === true ? emptyOf(spec) : undefined));
    } else {
      values[key] = typed(spec, parsed);
    }
  }
  return { values: values as Values<S>, issues };
}

/** The value of a sensitive option is a {@link Secret}. */
function typed(spec: OptionSpec, value: unknown): unknown {
  return spec.sensitive === true && typeof value === 'string' ? new Secret(value) : value;
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

/** A parsed value, or why it is refused; URLs of destinations must not carry credentials. */
function checkedValue(spec: OptionSpec, raw: unknown): unknown {
  const plain = raw instanceof Secret ? raw.reveal() : raw;
  const parsed = parseValue(spec, typeof plain === 'string' ? plain.trim() : plain, raw);
  if (isProblem(parsed) || spec.destination?.kind !== 'url') return parsed;
  const problem = credentialsProblem([parsed].flat() as string[], spec.destination.credentialsIn);
  return problem === undefined ? parsed : { problem };
}

/** Parses a value (trimmed text or a JSON scalar) given as `raw` (which may be a {@link Secret}): problems quote `raw`. */
function parseValue(spec: OptionSpec, text: unknown, raw: unknown): unknown {
  const got = quoted(raw);
  switch (spec.type) {
    case 'string':
      return typeof text === 'string' ? text : { problem: `must be a string, got ${got}` };
    case 'int':
      return parseInteger(spec, text, raw instanceof Secret);
    case 'bool':
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      return { problem: `must be true or false, got ${got}` };
    case 'list':
      return typeof text === 'string'
        ? listOf(text)
        : { problem: `must be a comma-separated string, got ${got}` };
    case 'enum':
      if (typeof text === 'string' && spec.values.includes(text)) return text;
      return { problem: `must be one of ${spec.values.join(', ')}, got ${got}` };
  }
}

function listOf(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseInteger(spec: OptionSpec & { type: 'int' }, text: unknown, secret: boolean): unknown {
  const value =
    typeof text === 'number' ? text : typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value))
    return { problem: `must be an integer, got ${secret ? HIDDEN : JSON.stringify(text)}` };
  const got = secret ? HIDDEN : String(value);
  if (spec.min !== undefined && value < spec.min)
    return { problem: `must be at least ${spec.min}, got ${got}` };
  if (spec.max !== undefined && value > spec.max)
    return { problem: `must be at most ${spec.max}, got ${got}` };
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
