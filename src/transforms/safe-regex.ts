/**
 * User regular expressions (filter and route conditions, custom mask patterns, topic rewrites) run in V8's
 * linear-time engine (the `l` flag): a match takes time linear in the text whatever the pattern and the text, so
 * no pattern or crafted log line can stall the event loop (`\s+$`, `(a+)+$`, `.*a.*a.*b` included). The engine is
 * turned on here, in the process, by {@link enableLinearEngine}: `node src/cli/main.ts`, the `logbridge` command,
 * the image, the chart, the lab and the tests all get it without a command-line flag.
 *
 * The engine lacks some features; what can be rewritten is (regex-linear.ts): ignore case, the first group's
 * position (no `d` flag), counted repetitions over 16. What cannot — backreferences, lookaheads, `\p{…}`,
 * inline `m`/`s` flags — is refused at validation with the reason. The measured figures are in
 * bench/regex.ts. The `re2` package would be the alternative; it needs a native build that downloads binaries or
 * Node headers (docs/transforms.md).
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import {
  expandCounts,
  foldCase,
  type GroupUse,
  hasCountedRepeat,
  rewriteGroups,
  RewriteProblem,
} from './regex-linear.ts';
import { type Alternation, parseRegex, printRegex, type RegexNode } from './regex-syntax.ts';

/** How a user pattern is compiled. */
export interface UserRegexOptions {
  readonly ignoreCase?: boolean;
}

/** A pattern that finds spans: group 1 is the text before the masked group (group 2) when `prefixed`. */
export interface FindPattern {
  /** Flags `gl`. */
  readonly regex: RegExp;
  readonly prefixed: boolean;
}

/** Why a pattern is refused. */
export interface PatternProblem {
  readonly problem: string;
}

/** Longest rewritten pattern (counted repetitions written out), characters: the engine's time grows with it. */
const MAX_REWRITTEN_CHARS = 20_000;
/** The flag of the linear-time engine; V8 accepts it only once the engine is enabled. */
const LINEAR = 'l';

/**
 * Turns on V8's linear-time engine for this process (idempotent). V8 reads the flag when a regular expression is
 * created, so setting it at run time works (verified on Node 24); the backtracking engine's fallback is turned on
 * too, for the built-in patterns and libraries.
 */
export function enableLinearEngine(): void {
  try {
    new RegExp('', LINEAR);
  } catch {
    setFlagsFromString('--enable-experimental-regexp-engine');
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  }
}

/** A condition's pattern (`test` only), flags `l`. */
export function compileUserRegex(source: string, options: UserRegexOptions = {}): RegExp | PatternProblem {
  const compiled = compileLinear(source, { ...options, groups: 'none', flags: 'l' });
  return 'problem' in compiled ? compiled : compiled.regex;
}

/** A mask pattern: every match, its first group's span (or the whole match's). */
export function compileFindPattern(
  source: string,
  options: UserRegexOptions = {},
): FindPattern | PatternProblem {
  return compileLinear(source, { ...options, groups: 'first', flags: 'gl' });
}

/** A rewrite pattern (`$1`, `$<name>` in the replacement keep working), flags `gl`. */
export function compileReplacePattern(source: string): RegExp | PatternProblem {
  const compiled = compileLinear(source, { groups: 'all', flags: 'gl' });
  return 'problem' in compiled ? compiled : compiled.regex;
}

function compileLinear(
  source: string,
  options: UserRegexOptions & { readonly groups: GroupUse; readonly flags: string },
): FindPattern | PatternProblem {
  enableLinearEngine();
  try {
    new RegExp(source);
  } catch (error) {
    return { problem: `is not a valid regular expression: ${(error as Error).message}` };
  }
  const tree = parseRegex(source);
  const unsupported = unsupportedIn(tree);
  if (unsupported !== undefined) return { problem: unsupported };
  try {
    const { tree: grouped, prefixed } = rewriteGroups(
      foldCase(tree, options.ignoreCase === true),
      options.groups,
    );
    const regex =
      linear(printRegex(grouped), options.flags) ??
      (hasCountedRepeat(grouped) ? linear(expanded(grouped), options.flags) : undefined);
    if (regex === undefined)
      return { problem: "cannot run in V8's linear-time engine; simplify the pattern" };
    return { regex, prefixed };
  } catch (error) {
    if (error instanceof RewriteProblem) return { problem: error.message };
    throw error;
  }
}

function expanded(tree: Alternation): string {
  return printRegex(expandCounts(tree, MAX_REWRITTEN_CHARS));
}

function linear(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** What no rewrite can make linear, with the reason. */
function unsupportedIn(tree: Alternation): string | undefined {
  for (const node of nodesOf(tree)) {
    if (node.type === 'backreference') {
      return `has a backreference (${node.source}), which no linear-time engine can run: rewrite the pattern without it`;
    }
    if (node.type === 'unicode-property') {
      return `uses ${node.source}, which needs the u flag that the linear-time engine lacks: use a character class`;
    }
    if (node.type === 'group' && (node.kind === 'lookahead' || node.kind === 'negative-lookahead')) {
      return 'has a lookahead ((?=…) or (?!…)), which the linear-time engine cannot run (lookbehinds are fine)';
    }
  }
  return undefined;
}

function* nodesOf(tree: Alternation): Generator<RegexNode> {
  for (const sequence of tree) {
    for (const node of sequence) {
      yield node;
      if (node.type === 'group') yield* nodesOf(node.body);
      if (node.type === 'repeat') yield* nodesOf([[node.node]]);
    }
  }
}
