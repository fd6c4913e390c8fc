/**
 * Secret references in configuration values: `${env:NAME}` and `${file:PATH}` (a file's content, trailing newline
 * removed; Kubernetes Secret volumes). Resolution errors name the key and the reference, never a resolved value.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './schema.ts';

const REFERENCE = /\$\{(env|file):([^}]+)\}/g;

/** Where references resolve from; injectable for tests. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
}

/** The process environment and file system. */
export const processSecrets: SecretSources = {
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
};

/**
 * Replaces every reference in string values.
 * @param path prefix of issue paths.
 */
export function resolveSecrets(
  properties: Readonly<Record<string, unknown>>,
  path: string,
  sources: SecretSources = processSecrets,
): { properties: Record<string, unknown>; issues: ConfigIssue[] } {
  const resolved: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value !== 'string' || !value.includes('${')) {
      resolved[key] = value;
      continue;
    }
    resolved[key] = value.replace(REFERENCE, (whole, kind: string, name: string) => {
      const found = lookup(kind, name.trim(), sources);
      if (typeof found !== 'string') {
        issues.push({ path: `${path}.${key}`, message: `refers to ${whole} but ${found.problem}` });
        return '';
      }
      return found;
    });
  }
  return { properties: resolved, issues };
}

function lookup(kind: string, name: string, sources: SecretSources): string | { problem: string } {
  if (kind === 'env') {
    return sources.env[name] ?? { problem: `the environment variable ${name} is not set` };
  }
  try {
    return sources.readFile(name).replace(/\r?\n$/, '');
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
