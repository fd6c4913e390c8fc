/**
 * Which fields the mask transform covers: every string in the body by default, or the subtrees named in `fields`,
 * less those named in `fields.exclude`. Arrays are transparent (a path reaches into each element). A text body has
 * no fields: it is always covered. Walks copy only what changes; an unchanged body is returned as it was.
 * @module
 */
import type { JsonObject, JsonValue } from '../engine/index.ts';

/** A node of the scope tree: mask this subtree, skip it, or look further down. */
export interface ScopeNode {
  mask: boolean;
  skip: boolean;
  readonly children: Map<string, ScopeNode>;
}

/** Builds the scope tree; no `include` path means the whole body. */
export function buildScope(
  include: readonly (readonly string[])[],
  exclude: readonly (readonly string[])[],
): ScopeNode {
  const root = newNode();
  if (include.length === 0) root.mask = true;
  for (const path of include) nodeAt(root, path).mask = true;
  for (const path of exclude) nodeAt(root, path).skip = true;
  return root;
}

function newNode(): ScopeNode {
  return { mask: false, skip: false, children: new Map() };
}

function nodeAt(root: ScopeNode, path: readonly string[]): ScopeNode {
  let node = root;
  for (const segment of path) {
    let child = node.children.get(segment);
    if (child === undefined) {
      child = newNode();
      node.children.set(segment, child);
    }
    node = child;
  }
  return node;
}

/** Masks one text value; returns it unchanged (the same string) when nothing was found. */
export type TextMasker = (text: string) => string;

/** @returns the body with every covered string (and long integer, which may be a card number) masked. */
export function maskBody(body: JsonObject | string, scope: ScopeNode, mask: TextMasker): JsonObject | string {
  if (typeof body === 'string') return mask(body);
  return maskObject(body, scope, scope.mask, mask);
}

function maskValue(
  value: JsonValue,
  node: ScopeNode | undefined,
  masking: boolean,
  mask: TextMasker,
): JsonValue {
  if (typeof value === 'string') return masking ? mask(value) : value;
  if (typeof value === 'number') return masking ? maskNumber(value, mask) : value;
  if (value === null || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return maskArray(value, node, masking, mask);
  return maskObject(value, node, masking, mask);
}

/** Integers of 13 digits or more may be card numbers written as JSON numbers: masked, they become strings. */
function maskNumber(value: number, mask: TextMasker): JsonValue {
  if (!Number.isSafeInteger(value) || Math.abs(value) < 1e12) return value;
  const text = String(value);
  const masked = mask(text);
  return masked === text ? value : masked;
}

function maskArray(
  values: JsonValue[],
  node: ScopeNode | undefined,
  masking: boolean,
  mask: TextMasker,
): JsonValue {
  let copy: JsonValue[] | undefined;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] ?? null;
    const masked = maskValue(value, node, masking, mask);
    if (masked === value) continue;
    copy ??= values.slice();
    copy[i] = masked;
  }
  return copy ?? values;
}

function maskObject(
  object: JsonObject,
  node: ScopeNode | undefined,
  masking: boolean,
  mask: TextMasker,
): JsonObject {
  if (masking && (node === undefined || node.children.size === 0)) return maskWhole(object, mask);
  let copy: JsonObject | undefined;
  for (const key of Object.keys(object)) {
    const child = node?.children.get(key);
    const masked = child?.skip === true ? undefined : maskChild(object[key] ?? null, child, masking, mask);
    const value = object[key];
    if (masked === undefined || masked === value) continue;
    copy ??= { ...object };
    setOwn(copy, key, masked);
  }
  return copy ?? object;
}

/** A child's masked value; undefined when it is outside the scope. */
function maskChild(
  value: JsonValue,
  child: ScopeNode | undefined,
  masking: boolean,
  mask: TextMasker,
): JsonValue | undefined {
  if (!masking && child === undefined) return undefined;
  return maskValue(value, child, masking || child?.mask === true, mask);
}

/** The common case, a whole subtree: no scope to look up on the way down. */
function maskWhole(object: JsonObject, mask: TextMasker): JsonObject {
  let copy: JsonObject | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key] ?? null;
    const masked = typeof value === 'string' ? mask(value) : maskValue(value, undefined, true, mask);
    if (masked === value) continue;
    copy ??= { ...object };
    setOwn(copy, key, masked);
  }
  return copy ?? object;
}

function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
