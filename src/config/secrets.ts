/**
 * Secret references in configuration values: `${env:NAME}` and `${file:PATH}` (a file's content, trailing newline
 * removed; Kubernetes Secret volumes). A value holding a reference resolves to a {@link Secret}, so that no message
 * built from it can show the resolved text. Resolution errors name the key and the reference, never a value; a
 * {@link ReferencePolicy} refuses references before anything is read.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './schema.ts';
import { HIDDEN, Secret } from './secret.ts';

const REFERENCE = /\$\{(env|file):([^}]+)\}/g;

/** A reference found in a value. */
export interface Reference {
  readonly kind: 'env' | 'file';
  /** The variable name or the path, trimmed. */
  readonly name: string;
  /** As written: `${env:NAME}`. */
  readonly whole: string;
}

/** Where references resolve from; injectable for tests. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
}

/** Which references may be used; consulted before a variable or file is read. */
export interface ReferencePolicy {
  /** Why `reference`, found in the value `raw` of `key`, is refused (a message naming the setting to change). */
  refusal(reference: Reference, key: string, raw: string): string | undefined;
}

/** The process environment and file system. */
export const processSecrets: SecretSources = {
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
};

/** The references in a text. */
export function referencesIn(text: string): Reference[] {
  return [...text.matchAll(REFERENCE)].map((match) => ({
    kind: match[1] === 'env' ? 'env' : 'file',
    name: (match[2] ?? '').trim(),
    whole: match[0],
  }));
}

/** True when a configuration value holds a reference. */
export function hasReference(value: unknown): boolean {
  return typeof value === 'string' && referencesIn(value).length > 0;
}

/**
 * Replaces every reference in string values; a value that held one becomes a {@link Secret}.
 * @param path prefix of issue paths.
 * @param policy refuses references before they are read (API callers); none: every reference resolves.
 */
export function resolveSecrets(
  properties: Readonly<Record<string, unknown>>,
  path: string,
  sources: SecretSources = processSecrets,
  policy?: ReferencePolicy,
): { properties: Record<string, unknown>; issues: ConfigIssue[] } {
  const resolved: [string, unknown][] = [];
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value !== 'string' || !hasReference(value)) {
      resolved.push([key, value]);
      continue;
    }
    const text = value.replace(REFERENCE, (whole, kind: string, name: string) => {
      const reference: Reference = { kind: kind === 'env' ? 'env' : 'file', name: name.trim(), whole };
      const refused = policy?.refusal(reference, key, value);
      const found = refused === undefined ? lookup(reference, sources) : { problem: '' };
      if (typeof found === 'string') return found;
      issues.push({ path: `${path}.${key}`, message: refused ?? missing(reference, found.problem) });
      return '';
    });
    resolved.push([key, new Secret(text)]);
  }
  // Entries, not assignments: a key `__proto__` stays a key, never the prototype of what validation reads.
  return { properties: Object.fromEntries(resolved), issues };
}

/** Shortest text {@link hideResolved} looks for: shorter pieces are words of any message. */
const MIN_HIDDEN_CHARS = 4;

/**
 * The issues with every resolved value (and each comma-separated item of one) replaced by `[hidden]`. Values of
 * references are {@link Secret}s, so messages built from them say `[hidden]` already; this covers checks that
 * read a resolved value as plain text after parsing it (a URL, a list item) in the operator's files.
 */
export function hideResolved(
  issues: readonly ConfigIssue[],
  resolved: Readonly<Record<string, unknown>>,
): ConfigIssue[] {
  const pieces = Object.values(resolved)
    .filter((value): value is Secret => value instanceof Secret)
    .flatMap((secret) => [secret.reveal(), ...secret.reveal().split(',')])
    .map((piece) => piece.trim())
    .filter((piece) => piece.length >= MIN_HIDDEN_CHARS)
    .sort((a, b) => b.length - a.length);
  if (pieces.length === 0) return [...issues];
  return issues.map((issue) => ({
    ...issue,
    message: pieces.reduce((message, piece) => message.split(piece).join(HIDDEN), issue.message),
  }));
}

function missing(reference: Reference, problem: string): string {
  return `refers to ${reference.whole} but ${problem}`;
}

/** The value of a reference, or why it cannot be read. */
function lookup(reference: Reference, sources: SecretSources): string | { problem: string } {
  if (reference.kind === 'env') {
    return (
      sources.env[reference.name] ?? { problem: `the environment variable ${reference.name} is not set` }
    );
  }
  try {
    return sources.readFile(reference.name).replace(/\r?\n$/, '');
  } catch (error) {
    return { problem: unreadable((error as NodeJS.ErrnoException).code) };
  }
}

/** Why a secret file cannot be read, as the operator fixes it. */
function unreadable(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'that file does not exist';
    case 'EACCES':
    case 'EPERM':
      return `that file cannot be read: permission denied to ${userOf()}`;
    case 'EISDIR':
      return 'that path is a directory, not a file';
    default:
      return `that file cannot be read${code === undefined ? '' : ` (${code})`}`;
  }
}

function userOf(): string {
  return typeof process.getuid === 'function' ? `uid ${String(process.getuid())}` : 'this process';
}
