/**
 * Shared Access Signatures as Event Hubs checks them (README.md § SAS tokens): `SharedAccessSignature
 * sr=<url-encoded resource URI>&sig=<url-encoded base64 HMAC-SHA256>&se=<expiry, epoch seconds>&skn=<key name>`,
 * signed over `<url-encoded resource URI>\n<expiry>` with the key's text as the HMAC key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a SAS policy may do. */
export type SasRight = 'Listen' | 'Send' | 'Manage';

/** A shared access policy of the namespace. */
export interface SasPolicy {
  readonly name: string;
  readonly key: string;
  readonly rights: readonly SasRight[];
}

/** A token that passed the checks. */
export interface VerifiedToken {
  /** The resource URI it grants, lower case, without scheme: `<host>/<path>`. */
  readonly resource: string;
  readonly expiresAtMs: number;
  readonly policy: SasPolicy;
}

/** Why a token was refused, as the CBS answer's status description says it. */
export class SasError extends Error {
  override readonly name = 'SasError';
}

/**
 * Checks a token's form, key name, signature and expiry.
 * @throws SasError saying what is wrong.
 */
export function verifySasToken(token: string, policies: readonly SasPolicy[], nowMs: number): VerifiedToken {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix))
    throw new SasError('InvalidSignature: the token is not a SharedAccessSignature');
  const fields = new Map<string, string>();
  for (const part of token.slice(prefix.length).split('&')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (sr === undefined || sig === undefined || se === undefined || skn === undefined || !/^\d+$/.test(se)) {
    throw new SasError('InvalidSignature: the token lacks sr, sig, se or skn');
  }
  const policy = policies.find((p) => p.name === decodeURIComponent(skn));
  if (policy === undefined)
    throw new SasError(`InvalidSignature: unknown key name ${decodeURIComponent(skn)}`);
  const expected = sign(policy.key, sr, se);
  const given = Buffer.from(decodeURIComponent(sig));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SasError('InvalidSignature: the token has an invalid signature');
  }
  const expiresAtMs = Number(se) * 1000;
  if (expiresAtMs <= nowMs)
    throw new SasError(`ExpiredToken: the token expired at ${new Date(expiresAtMs).toISOString()}`);
  return { resource: normaliseResource(decodeURIComponent(sr)), expiresAtMs, policy };
}

/** Makes a token the way the SDK does (core-amqp `createToken`), for tests that need a bad or expired one. */
export function createSasToken(
  policy: Pick<SasPolicy, 'name' | 'key'>,
  resource: string,
  expirySeconds: number,
): string {
  const sr = encodeURIComponent(resource);
  const se = String(expirySeconds);
  const sig = encodeURIComponent(sign(policy.key, sr, se).toString());
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${se}&skn=${encodeURIComponent(policy.name)}`;
}

function sign(key: string, encodedResource: string, expiry: string): Buffer {
  return Buffer.from(createHmac('sha256', key).update(`${encodedResource}\n${expiry}`).digest('base64'));
}

/** `sb://Host/Path/` → `host/path`: resource URIs compare case-insensitively and without scheme. */
export function normaliseResource(uri: string): string {
  return uri
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** True when a token for `resource` covers `target` (the same URI or one below it). */
export function covers(resource: string, target: string): boolean {
  const wanted = normaliseResource(target);
  return wanted === resource || wanted.startsWith(`${resource}/`);
}
