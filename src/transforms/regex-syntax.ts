/**
 * JavaScript regular expression syntax (without the `u` flag, Annex B included) as a tree, and back to text, so
 * that user patterns can be rewritten for V8's linear-time engine (regex-linear.ts). The parser assumes a pattern
 * that `new RegExp(source)` accepted: it only has to find the boundaries of atoms, classes and groups.
 * @module
 */

/** One item of a character class. */
export type ClassItem =
  | { readonly kind: 'char'; readonly code: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  /** `\d`, `\w`, `\s` and their negations, as written. */
  | { readonly kind: 'escape'; readonly source: string };

/** A group's kind; modifiers are `(?i:…)`-style groups, with the flags they add and remove. */
export type GroupKind =
  | 'capture'
  | 'named'
  | 'plain'
  | 'lookahead'
  | 'negative-lookahead'
  | 'lookbehind'
  | 'negative-lookbehind'
  | 'modifiers';

/** A node of the tree. */
export type RegexNode =
  | { readonly type: 'char'; readonly code: number }
  | { readonly type: 'class'; readonly negated: boolean; readonly items: readonly ClassItem[] }
  /** Kept as written: `.`, `^`, `$`, `\b`, `\B`, `\d`… (case does not change what they match). */
  | { readonly type: 'verbatim'; readonly source: string }
  | { readonly type: 'backreference'; readonly source: string }
  | { readonly type: 'unicode-property'; readonly source: string }
  | {
      readonly type: 'group';
      readonly kind: GroupKind;
      /** The opening text: `(`, `(?:`, `(?<name>`, `(?i-m:`… */
      readonly open: string;
      readonly body: Alternation;
    }
  | {
      readonly type: 'repeat';
      readonly node: RegexNode;
      readonly min: number;
      readonly max: number;
      readonly lazy: boolean;
    };

/** Alternatives, each a sequence of nodes. */
export type Alternation = readonly (readonly RegexNode[])[];

interface Cursor {
  readonly source: string;
  pos: number;
}

/** Parses a pattern that V8 accepted without the `u` flag. */
export function parseRegex(source: string): Alternation {
  const cursor: Cursor = { source, pos: 0 };
  return alternation(cursor);
}

function alternation(c: Cursor): Alternation {
  const alternatives: RegexNode[][] = [[]];
  while (c.pos < c.source.length && c.source[c.pos] !== ')') {
    if (c.source[c.pos] === '|') {
      c.pos += 1;
      alternatives.push([]);
      continue;
    }
    const sequence = alternatives.at(-1) ?? [];
    const atom = atomAt(c);
    sequence.push(quantified(c, atom));
  }
  return alternatives;
}

function quantified(c: Cursor, atom: RegexNode): RegexNode {
  const q = quantifierAt(c.source, c.pos);
  if (q === undefined) return atom;
  c.pos = q.end;
  return { type: 'repeat', node: atom, min: q.min, max: q.max, lazy: q.lazy };
}

/** A quantifier at `pos`: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy (`?`). */
export function quantifierAt(
  source: string,
  pos: number,
): { min: number; max: number; lazy: boolean; end: number } | undefined {
  const c = source[pos];
  let min: number;
  let max: number;
  let end = pos + 1;
  if (c === '*' || c === '+' || c === '?') {
    min = c === '+' ? 1 : 0;
    max = c === '?' ? 1 : Infinity;
  } else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos, pos + 40));
    if (match === null) return undefined;
    min = Number(match[1]);
    max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    end = pos + match[0].length;
  } else return undefined;
  const lazy = source[end] === '?';
  return { min, max, lazy, end: lazy ? end + 1 : end };
}

function atomAt(c: Cursor): RegexNode {
  const ch = c.source[c.pos] ?? '';
  if (ch === '(') return groupAt(c);
  if (ch === '[') return classAt(c);
  if (ch === '\\') return escapeAt(c);
  c.pos += 1;
  if (ch === '.' || ch === '^' || ch === '$') return { type: 'verbatim', source: ch };
  return { type: 'char', code: ch.charCodeAt(0) };
}

function groupAt(c: Cursor): RegexNode {
  const rest = c.source.slice(c.pos, c.pos + 300);
  const prefix = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>|[ims]*(?:-[ims]*)?:))?/.exec(rest)?.[0] ?? '(';
  c.pos += prefix.length;
  const body = alternation(c);
  c.pos += 1; // ')'
  return { type: 'group', kind: groupKind(prefix), open: prefix, body };
}

function groupKind(open: string): GroupKind {
  if (open === '(') return 'capture';
  if (open === '(?:') return 'plain';
  if (open === '(?=') return 'lookahead';
  if (open === '(?!') return 'negative-lookahead';
  if (open === '(?<=') return 'lookbehind';
  if (open === '(?<!') return 'negative-lookbehind';
  return open.startsWith('(?<') ? 'named' : 'modifiers';
}

const CLASS_ESCAPES = 'dDwWsS';
const CONTROL: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, v: 11, f: 12 };

function escapeAt(c: Cursor): RegexNode {
  const next = c.source[c.pos + 1] ?? '';
  if (CLASS_ESCAPES.includes(next) || next === 'b' || next === 'B') {
    c.pos += 2;
    return { type: 'verbatim', source: `\\${next}` };
  }
  const backreference = /^\\(?:[1-9]\d*|k<[^>]*>)/.exec(c.source.slice(c.pos));
  if (backreference !== null) {
    c.pos += backreference[0].length;
    return { type: 'backreference', source: backreference[0] };
  }
  if (next === 'p' || next === 'P') {
    const property = /^\\[pP](?:\{[^}]*\})?/.exec(c.source.slice(c.pos))?.[0] ?? '\\p';
    c.pos += property.length;
    return { type: 'unicode-property', source: property };
  }
  return { type: 'char', code: escapedChar(c) };
}

/** The character of an escape (`\n`, `\x41`, `\u0041`, `\cA`, `\0`, `\.`), advancing past it. */
function escapedChar(c: Cursor): number {
  const text = c.source.slice(c.pos, c.pos + 6);
  const next = text[1] ?? '';
  const hex = /^\\x([0-9A-Fa-f]{2})/.exec(text) ?? /^\\u([0-9A-Fa-f]{4})/.exec(text);
  if (hex !== null) {
    c.pos += hex[0].length;
    return parseInt(hex[1] ?? '0', 16);
  }
  const control = /^\\c([A-Za-z])/.exec(text);
  if (control !== null) {
    c.pos += 3;
    return (control[1] ?? 'A').charCodeAt(0) % 32;
  }
  const octal = /^\\([0-7]{1,3})/.exec(text);
  if (octal !== null && next === '0') {
    // Annex B legacy octal (`\0` is NUL); only `\0…` reaches here, `\1`-`\9` are backreferences.
    const digits = (octal[1] ?? '0').slice(0, parseInt(octal[1] ?? '0', 8) > 0o377 ? 2 : 3);
    c.pos += 1 + digits.length;
    return parseInt(digits, 8);
  }
  if (next === 'c') {
    c.pos += 1; // Annex B: a lone `\c` is a backslash; the `c` is read next as a character.
    return 92;
  }
  c.pos += 2;
  return CONTROL[next] ?? next.charCodeAt(0);
}

function classAt(c: Cursor): RegexNode {
  c.pos += 1;
  const negated = c.source[c.pos] === '^';
  if (negated) c.pos += 1;
  const items: ClassItem[] = [];
  while (c.pos < c.source.length && c.source[c.pos] !== ']') {
    const from = classAtom(c);
    const isRange = c.source[c.pos] === '-' && c.source[c.pos + 1] !== ']' && c.pos + 1 < c.source.length;
    if (isRange && from.kind === 'char') {
      const save = c.pos;
      c.pos += 1;
      const to = classAtom(c);
      if (to.kind === 'char') {
        items.push({ kind: 'range', from: from.code, to: to.code });
        continue;
      }
      c.pos = save; // Annex B: `[a-\d]` is a, -, \d.
    }
    items.push(from);
  }
  c.pos += 1; // ']'
  return { type: 'class', negated, items };
}

function classAtom(c: Cursor): ClassItem {
  const ch = c.source[c.pos] ?? '';
  if (ch !== '\\') {
    c.pos += 1;
    return { kind: 'char', code: ch.charCodeAt(0) };
  }
  const next = c.source[c.pos + 1] ?? '';
  if (CLASS_ESCAPES.includes(next)) {
    c.pos += 2;
    return { kind: 'escape', source: `\\${next}` };
  }
  if (next === 'b') {
    c.pos += 2;
    return { kind: 'char', code: 8 };
  }
  if (/[1-9]/.test(next)) {
    // Annex B: in a class, `\1` is an octal escape (`\8`, `\9` the digit).
    const digits = /^[1-7][0-7]{0,2}/.exec(c.source.slice(c.pos + 1))?.[0];
    c.pos += 1 + (digits?.length ?? 1);
    return { kind: 'char', code: digits === undefined ? next.charCodeAt(0) : parseInt(digits, 8) };
  }
  return { kind: 'char', code: escapedChar(c) };
}

/** Writes a tree back as a pattern. */
export function printRegex(tree: Alternation): string {
  return tree.map((sequence) => sequence.map(printNode).join('')).join('|');
}

function printNode(node: RegexNode): string {
  switch (node.type) {
    case 'char':
      return printChar(node.code, false);
    case 'class':
      return `[${node.negated ? '^' : ''}${node.items.map(printClassItem).join('')}]`;
    case 'verbatim':
    case 'backreference':
    case 'unicode-property':
      return node.source;
    case 'group':
      return `${node.open}${printRegex(node.body)})`;
    case 'repeat':
      return `${printNode(node.node)}${printQuantifier(node)}`;
  }
}

function printQuantifier(node: { min: number; max: number; lazy: boolean }): string {
  const { min, max } = node;
  const base =
    min === 0 && max === Infinity
      ? '*'
      : min === 1 && max === Infinity
        ? '+'
        : min === 0 && max === 1
          ? '?'
          : max === Infinity
            ? `{${min},}`
            : min === max
              ? `{${min}}`
              : `{${min},${max}}`;
  return node.lazy ? `${base}?` : base;
}

function printClassItem(item: ClassItem): string {
  if (item.kind === 'escape') return item.source;
  if (item.kind === 'char') return printChar(item.code, true);
  return `${printChar(item.from, true)}-${printChar(item.to, true)}`;
}

const SYNTAX = new Set('\\^$.|?*+()[]{}/-');

/** A character as pattern text: printable ASCII as itself (escaped when it is syntax), anything else as `\uXXXX`. */
function printChar(code: number, inClass: boolean): string {
  const ch = String.fromCharCode(code);
  if (code < 0x20 || code > 0x7e) return `\\u${code.toString(16).padStart(4, '0')}`;
  if (inClass) return ch === '\\' || ch === ']' || ch === '^' || ch === '-' ? `\\${ch}` : ch;
  return SYNTAX.has(ch) && ch !== '-' ? `\\${ch}` : ch;
}
