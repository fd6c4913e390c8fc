/**
 * User regular expressions (filter and route conditions, custom mask patterns) run in V8's backtracking engine,
 * where a pattern such as `(a+)+$` takes exponential time on a crafted value (ReDoS). Two guards apply to every
 * user pattern:
 *
 * 1. Validation refuses the shapes that backtrack catastrophically: a repeated group that contains a repetition or
 *    an alternation (`(a+)+`, `(a|ab)*`), unless both repetitions are small and bounded (`(\d{1,3}\.){3}`),
 *    two repetitions in a row with nothing fixed between them (`\d+\d*`), and backreferences.
 * 2. A pattern only ever runs on a bounded number of characters (each transform's `max.match.chars` or
 *    `pattern.max.chars`), so what polynomial backtracking remains is bounded too.
 *
 * The process can add a third guard: V8's `--enable-experimental-regexp-engine-on-excessive-backtracks`, which
 * switches any runaway match to a linear-time engine (see docs/transforms.md).
 * @module
 */

/** How a user pattern is compiled. */
export interface UserRegexOptions {
  readonly ignoreCase?: boolean;
  /** Adds the `g` and `d` flags, for patterns that find every occurrence with its groups' positions. */
  readonly findAll?: boolean;
}

/** Largest product of nested bounded repetitions accepted (`(\d{1,3}\.){3}` is 9). */
const MAX_NESTED_PRODUCT = 100;

/** @returns the compiled pattern, or why it is refused. */
export function compileUserRegex(
  source: string,
  options: UserRegexOptions = {},
): RegExp | { problem: string } {
  let regex: RegExp;
  try {
    regex = new RegExp(
      source,
      `${options.ignoreCase === true ? 'i' : ''}${options.findAll === true ? 'gd' : ''}`,
    );
  } catch (error) {
    return { problem: `is not a valid regular expression: ${(error as Error).message}` };
  }
  const problem = backtrackingProblem(source);
  return problem === undefined ? regex : { problem: `${problem} (a ReDoS risk); rewrite the pattern` };
}

/** What the scanner knows about the group it is in. */
interface Frame {
  /** Largest repetition product inside (1: nothing repeats; Infinity: an unbounded repetition). */
  product: number;
  alternation: boolean;
  /** Largest repetition of the last item (0: not repeated). */
  lastMax: number;
  /** `lastMax` of the item before the current atom: two unbounded repetitions in a row backtrack polynomially. */
  beforeMax: number;
}

type Atom = { readonly kind: 'char' } | { readonly kind: 'group'; readonly frame: Frame } | undefined;

/** @returns why `source` can backtrack catastrophically, or undefined. Assumes a pattern V8 accepted. */
export function backtrackingProblem(source: string): string | undefined {
  const scan: Scan = { source, pos: 0, stack: [newFrame()], atom: undefined };
  while (scan.pos < source.length) {
    const problem = step(scan);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Where the scanner is. */
interface Scan {
  readonly source: string;
  pos: number;
  readonly stack: Frame[];
  /** The item a quantifier would apply to. */
  atom: Atom;
}

/** Reads one item of the pattern. */
function step(scan: Scan): string | undefined {
  const { source, stack } = scan;
  const top = stack.at(-1) ?? newFrame();
  const c = source.charAt(scan.pos);
  if (c === '\\') {
    if (/[1-9]/.test(source.charAt(scan.pos + 1)) || source.startsWith('k<', scan.pos + 1))
      return 'has a backreference';
    scan.pos += 2;
    scan.atom = endAtom(top, { kind: 'char' });
  } else if (c === '[') {
    scan.pos = classEnd(source, scan.pos);
    scan.atom = endAtom(top, { kind: 'char' });
  } else if (c === '(') {
    stack.push(newFrame());
    scan.pos = groupBodyStart(source, scan.pos);
    scan.atom = undefined;
  } else if (c === ')') {
    const frame = stack.length > 1 ? stack.pop() : undefined;
    scan.pos += 1;
    scan.atom =
      frame === undefined ? undefined : endAtom(stack.at(-1) ?? newFrame(), { kind: 'group', frame });
  } else if (c === '|') {
    top.alternation = true;
    top.lastMax = 0;
    top.beforeMax = 0;
    scan.pos += 1;
    scan.atom = undefined;
  } else {
    return quantifierOrChar(scan, top);
  }
  return undefined;
}

function quantifierOrChar(scan: Scan, top: Frame): string | undefined {
  const quantifier = readQuantifier(scan.source, scan.pos);
  if (quantifier === undefined) {
    scan.pos += 1;
    scan.atom = endAtom(top, { kind: 'char' });
    return undefined;
  }
  const problem = repeat(top, scan.atom, quantifier.max);
  scan.pos = quantifier.end;
  scan.atom = undefined;
  return problem;
}

function newFrame(): Frame {
  return { product: 1, alternation: false, lastMax: 0, beforeMax: 0 };
}

/** An atom ends: it is not repeated (yet); a group passes what it contains to its parent. */
function endAtom(frame: Frame, atom: NonNullable<Atom>): Atom {
  if (atom.kind === 'group') {
    frame.product = Math.max(frame.product, atom.frame.product);
    frame.alternation ||= atom.frame.alternation;
  }
  frame.beforeMax = frame.lastMax;
  frame.lastMax = 0;
  return atom;
}

function repeat(frame: Frame, atom: Atom, max: number): string | undefined {
  if (atom === undefined || max <= 1) return undefined;
  if (max === Infinity && frame.beforeMax === Infinity) return 'has two unbounded repetitions in a row';
  if (atom.kind === 'group') {
    if (atom.frame.alternation) return 'repeats a group that contains an alternation';
    const product = atom.frame.product * max;
    if (atom.frame.product > 1 && (product > MAX_NESTED_PRODUCT || !Number.isFinite(product)))
      return 'repeats a group that contains a repetition';
    frame.product = Math.max(frame.product, product);
  } else {
    frame.product = Math.max(frame.product, max);
  }
  frame.lastMax = max;
  return undefined;
}

function readQuantifier(source: string, pos: number): { max: number; end: number } | undefined {
  const c = source[pos];
  let max: number;
  let end = pos + 1;
  if (c === '*' || c === '+') max = Infinity;
  else if (c === '?') max = 1;
  else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos, pos + 24));
    if (match === null) return undefined;
    max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Infinity : Number(match[3]);
    end = pos + match[0].length;
  } else return undefined;
  if (source[end] === '?') end += 1;
  return { max, end };
}

function classEnd(source: string, pos: number): number {
  let i = pos + 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

function groupBodyStart(source: string, pos: number): number {
  if (source[pos + 1] !== '?') return pos + 1;
  if (source.startsWith('?<', pos + 1) && !/^\?<[=!]/.test(source.slice(pos + 1, pos + 4))) {
    const close = source.indexOf('>', pos);
    return close < 0 ? source.length : close + 1;
  }
  return pos + (source.startsWith('?<', pos + 1) ? 4 : 3);
}
