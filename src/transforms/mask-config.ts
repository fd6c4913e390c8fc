/**
 * The mask transform's options: built-in detectors, custom patterns (`patterns=ticket` +
 * `pattern.ticket.regex=…`), a mode per kind (`mode=redact`, `mode.email=hash`), the keyed-hash secret and the field
 * scope. Validation reports every problem with its key.
 * @module
 */
import { closestKey, type ConfigIssue, defineSchema, parseOptions, type Values } from '../config/index.ts';
import { BUILT_IN_KINDS, type BuiltInKind } from './detectors.ts';
import { isFieldPath, parseFieldPath } from './field-path.ts';
import { type HashSettings, MASK_MODES, type MaskMode } from './mask-modes.ts';
import { namedGroups, unknownGroupOptions, unlistedGroups } from './options.ts';
import { compileFindPattern, type FindPattern } from './safe-regex.ts';

/** Options of `mask` with a fixed key (also `mode.<kind>` and `pattern.<name>.regex|ignore.case`). */
export const maskSchema = defineSchema({
  detectors: {
    type: 'list',
    default: [...BUILT_IN_KINDS],
    doc: 'Built-in detectors: email, ipv4, ipv6, card, bearer, jwt, azure-secret; "none" for custom patterns only.',
  },
  mode: {
    type: 'enum',
    values: MASK_MODES,
    default: 'redact',
    doc: 'redact ([REDACTED:kind]), partial (last 4 characters kept) or hash ([HMAC:kind:hex], keyed); mode.<kind> overrides it per detector or pattern.',
  },
  'hash.secret': {
    type: 'string',
    sensitive: true,
    doc: 'HMAC-SHA256 key for the hash mode, at least 16 characters; use ${env:…} or ${file:…}.',
  },
  'hash.chars': { type: 'int', min: 8, max: 64, default: 16, doc: 'Hex digits of the keyed hash written.' },
  fields: {
    type: 'list',
    default: [],
    doc: 'Field paths whose subtrees are masked (e.g. log,message); empty: every string of the body.',
  },
  'fields.exclude': { type: 'list', default: [], doc: 'Field paths never masked (e.g. kubernetes.pod_id).' },
  patterns: {
    type: 'list',
    default: [],
    doc: 'Names of custom patterns, each defined by pattern.<name>.regex (its first group is masked if it has one).',
  },
  'patterns.max.chars': {
    type: 'int',
    min: 64,
    default: 16384,
    doc: 'Custom patterns run only on values up to this many characters (a bound on user regular expressions).',
  },
  'patterns.oversize': {
    type: 'enum',
    values: ['redact', 'reject'],
    default: 'redact',
    doc: 'A longer value, when custom patterns are set: redact it whole ([REDACTED:oversize]) or dead-letter the record (LB_MASK_OVERSIZE).',
  },
});

/** A validated custom pattern. */
export interface MaskPattern {
  readonly name: string;
  /** Runs in linear time; finds the span to mask (its first group, or the whole match). */
  readonly pattern: FindPattern;
}

/** Validated `mask` settings. */
export interface MaskConfig {
  readonly detectors: readonly BuiltInKind[];
  readonly patterns: readonly MaskPattern[];
  /** The mode of every kind and pattern name. */
  readonly modes: ReadonlyMap<string, MaskMode>;
  readonly hash: HashSettings | undefined;
  readonly include: readonly (readonly string[])[];
  readonly exclude: readonly (readonly string[])[];
  readonly patternMaxChars: number;
  readonly oversize: 'redact' | 'reject';
}

const PATTERN_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MIN_SECRET_CHARS = 16;

/** Validates `mask` options (prefix taken off); issues are reported at `path.<option>`. */
export function validateMask(
  options: Readonly<Record<string, unknown>>,
  path: string,
): { config?: MaskConfig; issues: ConfigIssue[] } {
  const { values, issues } = parseOptions(maskSchema, options, path);
  const detectors = builtInKinds(values.detectors, `${path}.detectors`, issues);
  const patterns = customPatterns(values.patterns, options, path, issues);
  const kinds = [...detectors, ...patterns.map((p) => p.name)];
  const modes = modesOf({ kinds, mode: values.mode as MaskMode }, options, path, issues);
  const hash = hashSettings(values, [...modes.values()].includes('hash'), path, issues);
  const include = fieldPaths(values.fields, `${path}.fields`, issues);
  const exclude = fieldPaths(values['fields.exclude'], `${path}.fields.exclude`, issues);
  if (kinds.length === 0)
    issues.push({ path: `${path}.detectors`, message: 'no detector and no pattern: nothing to mask' });
  if (issues.length > 0) return { issues };
  const config: MaskConfig = {
    detectors,
    patterns,
    modes,
    hash,
    include,
    exclude,
    patternMaxChars: values['patterns.max.chars'],
    oversize: values['patterns.oversize'] as 'redact' | 'reject',
  };
  return { config, issues };
}

function builtInKinds(listed: readonly string[], where: string, issues: ConfigIssue[]): BuiltInKind[] {
  if (listed.length === 1 && listed[0] === 'none') return [];
  const kinds: BuiltInKind[] = [];
  for (const name of listed) {
    if ((BUILT_IN_KINDS as readonly string[]).includes(name)) kinds.push(name as BuiltInKind);
    else issues.push({ path: where, message: unknownName(name, 'detector', BUILT_IN_KINDS) });
  }
  return kinds;
}

function customPatterns(
  names: readonly string[],
  options: Readonly<Record<string, unknown>>,
  path: string,
  issues: ConfigIssue[],
): MaskPattern[] {
  const groups = namedGroups(options, 'pattern.', path, issues);
  issues.push(...unlistedGroups(groups, names, { path, prefix: 'pattern.', listKey: 'patterns' }));
  const patterns: MaskPattern[] = [];
  for (const name of names) {
    if (!PATTERN_NAME.test(name) || (BUILT_IN_KINDS as readonly string[]).includes(name)) {
      issues.push({
        path: `${path}.patterns`,
        message: `"${name}" must be lower-case letters, digits, "-" or "_", and not a built-in detector's name`,
      });
      continue;
    }
    const pattern = patternOf(groups.get(name) ?? {}, `${path}.pattern.${name}`, issues);
    if (pattern !== undefined) patterns.push({ name, pattern });
  }
  return patterns;
}

function patternOf(
  group: Readonly<Record<string, unknown>>,
  where: string,
  issues: ConfigIssue[],
): FindPattern | undefined {
  issues.push(...unknownGroupOptions(group, ['regex', 'ignore.case'], where));
  const { regex: source, 'ignore.case': ignoreCase = false } = group;
  if (ignoreCase !== true && ignoreCase !== false && ignoreCase !== 'true' && ignoreCase !== 'false')
    issues.push({ path: `${where}.ignore.case`, message: 'must be true or false' });
  if (typeof source !== 'string' || source === '') {
    issues.push({ path: `${where}.regex`, message: 'is required: the regular expression of this pattern' });
    return undefined;
  }
  const pattern = compileFindPattern(source, { ignoreCase: ignoreCase === true || ignoreCase === 'true' });
  if (!('problem' in pattern)) return pattern;
  issues.push({ path: `${where}.regex`, message: pattern.problem });
  return undefined;
}

/** The mode of each kind: `mode.<kind>`, else `mode`. */
function modesOf(
  defaults: { readonly kinds: readonly string[]; readonly mode: MaskMode },
  options: Readonly<Record<string, unknown>>,
  path: string,
  issues: ConfigIssue[],
): Map<string, MaskMode> {
  const { kinds, mode } = defaults;
  const modes = new Map(kinds.map((kind) => [kind, mode] as const));
  for (const [key, value] of Object.entries(options)) {
    if (!key.startsWith('mode.')) continue;
    const kind = key.slice('mode.'.length);
    if (!modes.has(kind)) {
      issues.push({
        path: `${path}.${key}`,
        message: unknownName(kind, 'detector or pattern in use', kinds),
      });
    } else if (typeof value !== 'string' || !(MASK_MODES as readonly string[]).includes(value)) {
      issues.push({
        path: `${path}.${key}`,
        message: `must be one of ${MASK_MODES.join(', ')}, got ${JSON.stringify(value)}`,
      });
    } else {
      modes.set(kind, value as MaskMode);
    }
  }
  return modes;
}

function hashSettings(
  values: Values<typeof maskSchema>,
  needed: boolean,
  path: string,
  issues: ConfigIssue[],
): HashSettings | undefined {
  const secret = values['hash.secret'];
  if (!needed) return undefined;
  if (secret === undefined || secret.reveal().length < MIN_SECRET_CHARS) {
    issues.push({
      path: `${path}.hash.secret`,
      message: `is required with the hash mode, at least ${MIN_SECRET_CHARS} characters (keep it secret: it makes hashes unguessable)`,
    });
    return undefined;
  }
  return { secret, chars: values['hash.chars'] };
}

function fieldPaths(listed: readonly string[], where: string, issues: ConfigIssue[]): string[][] {
  const paths: string[][] = [];
  for (const source of listed) {
    const path = parseFieldPath(source);
    if (isFieldPath(path)) paths.push([...path.segments]);
    else issues.push({ path: where, message: path.problem });
  }
  return paths;
}

function unknownName(name: string, what: string, known: readonly string[]): string {
  const hint = closestKey(name, known);
  return `"${name}" is not a ${what}${hint === undefined ? `; known: ${known.join(', ')}` : `; did you mean "${hint}"?`}`;
}
