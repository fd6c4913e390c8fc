/**
 * What the mask transform writes in place of a found value:
 * - `redact`: `[REDACTED:<kind>]`;
 * - `partial`: the last 4 characters stay, the rest becomes `****` (values of 8 characters or fewer are masked
 *   whole); card numbers keep their length and separators, every digit but the last 4 becoming `*`, as PCI DSS
 *   masking shows them;
 * - `hash`: `[HMAC:<kind>:<hex>]`, the first `hash.chars` hex digits of HMAC-SHA256 over the value (e-mail and IPv6
 *   lower-cased, card digits without separators), so the same value stays joinable across events without being
 *   readable. The key is secret: anyone holding it can test guesses.
 * @module
 */
import { createHmac } from 'node:crypto';
import type { Secret } from '../config/index.ts';

/** A mask mode. */
export type MaskMode = 'redact' | 'partial' | 'hash';

/** The mask modes. */
export const MASK_MODES: readonly MaskMode[] = ['redact', 'partial', 'hash'];

/** Keyed-hash settings. */
export interface HashSettings {
  readonly secret: Secret;
  /** Hex digits kept, 8–64. */
  readonly chars: number;
}

/** @returns the function that replaces a value of `kind` in `mode`. */
export function replacerFor(
  mode: MaskMode,
  kind: string,
  hash: HashSettings | undefined,
): (value: string) => string {
  if (mode === 'redact') {
    const text = `[REDACTED:${kind}]`;
    return () => text;
  }
  if (mode === 'partial') return kind === 'card' ? partialCard : partial;
  if (hash === undefined) throw new Error('hash mode needs hash settings');
  const key = hash.secret.reveal();
  return (value) => {
    const digest = createHmac('sha256', key).update(normalise(kind, value)).digest('hex');
    return `[HMAC:${kind}:${digest.slice(0, hash.chars)}]`;
  };
}

function partial(value: string): string {
  return value.length <= 8 ? '****' : `****${value.slice(-4)}`;
}

function partialCard(value: string): string {
  let kept = 0;
  let out = '';
  for (let i = value.length - 1; i >= 0; i -= 1) {
    const c = value[i] ?? '';
    const digit = c >= '0' && c <= '9';
    out = (digit && kept >= 4 ? '*' : c) + out;
    if (digit) kept += 1;
  }
  return out;
}

function normalise(kind: string, value: string): string {
  if (kind === 'email' || kind === 'ipv6') return value.toLowerCase();
  if (kind === 'card') return value.replace(/[^0-9]/g, '');
  return value;
}
