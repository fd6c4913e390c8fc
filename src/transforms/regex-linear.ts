/**
 * Rewrites of a user pattern's tree for V8's linear-time engine (the `l` flag), which has no `i` or `d` flag,
 * no backreferences or lookaheads, and repeats an atom at most 16 times:
 *
 * - ignore case: every letter becomes the class of its case variants (the `i` flag's own canonicalisation, without
 *   `u`), classes get their variants added, and `(?i:…)` / `(?-i:…)` groups are honoured the same way;
 * - groups: capturing groups become `(?:…)` where nothing reads them (conditions), or the first group is kept and
 *   the text before it captured, which gives its position without the `d` flag (mask patterns);
 * - counted repetitions `x{m,n}` are written out as m copies and n−m nested optional ones, which matches the same
 *   text in the same order of preference.
 * @module
 */
import { type Alternation, type ClassItem, printRegex, type RegexNode } from './regex-syntax.ts';

/** Why a tree cannot be rewritten. */
export class RewriteProblem extends Error {}

/** @returns the tree with case folded where `active` (the `i` flag) or a `(?i:…)` group says so. */
export function foldCase(tree: Alternation, active: boolean): Alternation {
  return tree.map((sequence) => sequence.map((node) => foldNode(node, active)));
}

function foldNode(node: RegexNode, active: boolean): RegexNode {
  switch (node.type) {
    case 'char': {
      if (!active) return node;
      const variants = variantsOf(node.code);
      return variants.length === 1
        ? node
        : { type: 'class', negated: false, items: variants.map((code) => ({ kind: 'char', code })) };
    }
    case 'class':
      return active ? { ...node, items: foldedItems(node.items) } : node;
    case 'group':
      return foldGroup(node, active);
    case 'repeat':
      return { ...node, node: foldNode(node.node, active) };
    default:
      return node;
  }
}

function foldGroup(node: RegexNode & { type: 'group' }, active: boolean): RegexNode {
  if (node.kind !== 'modifiers') return { ...node, body: foldCase(node.body, active) };
  const flags = /^\(\?([ims]*)(?:-([ims]*))?:$/.exec(node.open);
  const added = flags?.[1] ?? '';
  const removed = flags?.[2] ?? '';
  if (/[ms]/.test(added + removed)) {
    throw new RewriteProblem(
      'uses inline flags m or s ((?m:…), (?s:…)), which the linear-time engine cannot run; only (?i:…) is supported',
    );
  }
  const inner = added.includes('i') ? true : removed.includes('i') ? false : active;
  return { type: 'group', kind: 'plain', open: '(?:', body: foldCase(node.body, inner) };
}

/** Case variants of every code unit, by canonical form (ECMA-262 Canonicalize without `u`); built on first use. */
let variantTable: Map<number, number[]> | undefined;

function canonical(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const result = upper.charCodeAt(0);
  return code >= 128 && result < 128 ? code : result;
}

/** The code units that the `i` flag treats as `code` (itself included), sorted. */
export function variantsOf(code: number): readonly number[] {
  variantTable ??= buildVariantTable();
  return variantTable.get(canonical(code)) ?? [code];
}

/** Canonical form → its code units, for the forms shared by more than one (about 1,400 in the BMP). */
function buildVariantTable(): Map<number, number[]> {
  const all = new Map<number, number[]>();
  for (let unit = 0; unit <= 0xffff; unit += 1) {
    const key = canonical(unit);
    const list = all.get(key);
    if (list === undefined) all.set(key, [unit]);
    else list.push(unit);
  }
  return new Map([...all].filter(([, units]) => units.length > 1));
}

/** The items of a class with every character's case variants added, as sorted ranges. */
function foldedItems(items: readonly ClassItem[]): ClassItem[] {
  const codes = new Set<number>();
  const escapes: ClassItem[] = [];
  for (const item of items) {
    if (item.kind === 'escape') escapes.push(item);
    else
      addVariants(
        codes,
        item.kind === 'char' ? item.code : item.from,
        item.kind === 'char' ? item.code : item.to,
      );
  }
  return [...rangesOf([...codes].sort((a, b) => a - b)), ...escapes];
}

function addVariants(codes: Set<number>, from: number, to: number): void {
  for (let code = from; code <= to; code += 1) for (const variant of variantsOf(code)) codes.add(variant);
}

function rangesOf(sorted: readonly number[]): ClassItem[] {
  const ranges: ClassItem[] = [];
  let start = sorted[0];
  let end = start;
  for (const code of [...sorted.slice(1), undefined]) {
    if (start === undefined || end === undefined) break;
    if (code !== undefined && code === end + 1) {
      end = code;
      continue;
    }
    ranges.push(start === end ? { kind: 'char', code: start } : { kind: 'range', from: start, to: end });
    start = code;
    end = code;
  }
  return ranges;
}

/** How a pattern's capturing groups are used. */
export type GroupUse = 'none' | 'first' | 'all';

/**
 * Rewrites capturing groups for their use: `none` makes every group non-capturing; `first` keeps the first group
 * (which must stand at the top level, not inside an alternation or repetition) as group 2 and captures the text
 * before it as group 1; `all` keeps them.
 * @returns the tree, and whether group 1 is the prefix (`first` with a group).
 */
export function rewriteGroups(tree: Alternation, use: GroupUse): { tree: Alternation; prefixed: boolean } {
  if (use === 'all') return { tree, prefixed: false };
  const plain = (nodes: readonly RegexNode[]): RegexNode[] => nodes.map((node) => uncaptured(node));
  if (use === 'none') return { tree: tree.map(plain), prefixed: false };
  const [only, ...others] = tree;
  // The first group in the text must itself be a top-level group, not a group inside something else.
  const at = only?.findIndex(hasCapture) ?? -1;
  const first = only?.[at];
  const topLevel = first?.type === 'group' && isCapturing(first.kind);
  if (only === undefined || !topLevel || others.length > 0) {
    if (tree.some((sequence) => sequence.some(hasCapture))) {
      throw new RewriteProblem(
        'captures its group (the part masked) inside an alternation or a repetition: put the group at the top ' +
          'level, e.g. key=(\\w+), or use (?:…) for the other groups',
      );
    }
    return { tree: tree.map(plain), prefixed: false };
  }
  const group = only[at] as RegexNode & { type: 'group' };
  const prefix: RegexNode = { type: 'group', kind: 'capture', open: '(', body: [plain(only.slice(0, at))] };
  const kept: RegexNode = { ...group, kind: 'capture', open: '(', body: group.body.map(plain) };
  return { tree: [[prefix, kept, ...plain(only.slice(at + 1))]], prefixed: true };
}

function isCapturing(kind: string): boolean {
  return kind === 'capture' || kind === 'named';
}

function uncaptured(node: RegexNode): RegexNode {
  if (node.type === 'repeat') return { ...node, node: uncaptured(node.node) };
  if (node.type !== 'group') return node;
  const body = node.body.map((sequence) => sequence.map(uncaptured));
  return isCapturing(node.kind) ? { type: 'group', kind: 'plain', open: '(?:', body } : { ...node, body };
}

/** True when a node can match the empty string. */
function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'char':
    case 'class':
      return false;
    case 'verbatim':
      return ['^', '$', '\\b', '\\B'].includes(node.source);
    case 'repeat':
      return node.min === 0 || nullable(node.node);
    case 'group':
      return node.kind.includes('look') || node.body.some((sequence) => sequence.every(nullable));
    default:
      return true;
  }
}

function hasCapture(node: RegexNode): boolean {
  if (node.type === 'repeat') return hasCapture(node.node);
  if (node.type !== 'group') return false;
  return isCapturing(node.kind) || node.body.some((sequence) => sequence.some(hasCapture));
}

/** True when the tree repeats something a counted number of times (`{m,n}` other than `?`). */
export function hasCountedRepeat(tree: Alternation): boolean {
  const counted = (node: RegexNode): boolean =>
    node.type === 'repeat'
      ? node.min > 1 || (node.max !== Infinity && node.max > 1) || counted(node.node)
      : node.type === 'group' && node.body.some((sequence) => sequence.some(counted));
  return tree.some((sequence) => sequence.some(counted));
}

/**
 * Writes every counted repetition out: `x{2,4}` → `xx(?:x(?:x)?)?`, `x{3,}` → `xxxx*`.
 * @throws RewriteProblem when the result would be longer than `maxChars` (checked before it is built).
 */
export function expandCounts(tree: Alternation, maxChars: number): Alternation {
  const length = expandedLength(tree);
  if (length > maxChars) {
    throw new RewriteProblem(
      `has counted repetitions that come to about ${String(length)} characters when written out for the ` +
        `linear-time engine, over ${String(maxChars)}: use smaller counts, or + and *`,
    );
  }
  return expandTree(tree);
}

function expandTree(tree: Alternation): Alternation {
  return tree.map((sequence) => sequence.flatMap(expandNode));
}

/** About how long {@link expandCounts} would write a tree (saturating, so that nested counts cannot overflow). */
function expandedLength(tree: Alternation): number {
  const nodeLength = (node: RegexNode): number => {
    if (node.type === 'group') return node.open.length + 1 + expandedLength(node.body);
    if (node.type !== 'repeat') return printRegex([[node]]).length;
    const copies = node.max === Infinity ? node.min + 1 : Math.max(node.max, 1);
    return Math.min(Number.MAX_SAFE_INTEGER, (nodeLength(node.node) + 6) * copies);
  };
  return tree.reduce(
    (total, sequence) =>
      total + sequence.reduce((sum, node) => Math.min(Number.MAX_SAFE_INTEGER, sum + nodeLength(node)), 1),
    0,
  );
}

function expandNode(node: RegexNode): RegexNode[] {
  if (node.type === 'group') return [{ ...node, body: expandTree(node.body) }];
  if (node.type !== 'repeat') return [node];
  const inner = expandNode(node.node);
  const atom: RegexNode =
    inner.length === 1 && inner[0] !== undefined
      ? inner[0]
      : { type: 'group', kind: 'plain', open: '(?:', body: [inner] };
  const { min, max, lazy } = node;
  if (min <= 1 && (max <= 1 || max === Infinity)) return [{ ...node, node: atom }];
  if (hasCapture(atom)) {
    throw new RewriteProblem(
      `repeats a capturing group ${String(max === Infinity ? min : max)} times, more than the linear-time engine ` +
        'can: use (?:…) instead of (…) there',
    );
  }
  const copies: RegexNode[] = Array.from({ length: min }, () => atom);
  if (max === Infinity) return [...copies, { type: 'repeat', node: atom, min: 0, max: Infinity, lazy }];
  const optional = optionalCopies(atom, max - min, lazy);
  return optional === undefined ? copies : [...copies, optional];
}

/** `count` nested optional copies, `(?:x(?:x)?)?`: greedy or lazy, in the quantifier's order of preference. */
function optionalCopies(atom: RegexNode, count: number, lazy: boolean): RegexNode | undefined {
  // An optional repetition that matches nothing is refused (ECMA-262 RepeatMatcher), which nested `?` cannot say.
  if (count > 0 && nullable(atom)) {
    throw new RewriteProblem(
      `repeats a part that can match nothing up to ${String(count)} extra times, more than the linear-time ` +
        'engine can: use * there, or at most 16 repetitions',
    );
  }
  let optional: RegexNode | undefined;
  for (let i = 0; i < count; i += 1) {
    const body = optional === undefined ? [atom] : [atom, optional];
    optional = {
      type: 'repeat',
      node: { type: 'group', kind: 'plain', open: '(?:', body: [body] },
      min: 0,
      max: 1,
      lazy,
    };
  }
  return optional;
}
