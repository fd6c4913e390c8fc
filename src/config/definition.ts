/**
 * Connector definitions: `{"name": …, "config": {…}}` documents, the shape Kafka Connect users know, read from files
 * (standalone mode) or the REST API.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './schema.ts';

/** A connector definition as written by a user; config values are strings (numbers and booleans accepted). */
export interface ConnectorDefinition {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Why a connector name is refused, or undefined. One rule for files, the REST API and the config topic: 1-200
 * letters, digits, `.`, `_` or `-`, starting with a letter or digit (no path characters, no `__proto__`).
 */
export function connectorNameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && NAME.test(name)
    ? undefined
    : 'must be 1-200 characters of letters, digits, ".", "_" or "-", starting with a letter or digit';
}

/** Checks the outer shape of a definition. */
export function checkDefinition(
  value: unknown,
  path: string,
): { definition?: ConnectorDefinition; issues: ConfigIssue[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issues: [{ path, message: 'must be a JSON object {"name": "...", "config": {...}}' }] };
  }
  const { name, config } = value as { name?: unknown; config?: unknown };
  const issues: ConfigIssue[] = [];
  const nameProblem = connectorNameProblem(name);
  if (nameProblem !== undefined) issues.push({ path: `${path}.name`, message: nameProblem });
  if (config === undefined && looksFlat(value)) {
    issues.push({ path: `${path}.config`, message: flatConfigMessage(value as Record<string, unknown>) });
  } else if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    issues.push({ path: `${path}.config`, message: 'must be an object of string properties' });
  } else if (Object.hasOwn(config, '__proto__')) {
    issues.push({ path: `${path}.config.__proto__`, message: 'is not a connector key' });
  }
  if (issues.length > 0) return { issues };
  return { definition: { name: name as string, config: config as Record<string, unknown> }, issues };
}

/** Reads and checks a definition file. */
export function readDefinitionFile(file: string): {
  definition?: ConnectorDefinition;
  issues: ConfigIssue[];
} {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { issues: [{ path: file, message: `cannot be read: ${(error as Error).message}` }] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const properties = propertiesOf(text);
    if (properties !== undefined) {
      return { issues: [{ path: file, message: `is a properties file; ${wrapHint(properties)}` }] };
    }
    return { issues: [{ path: file, message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  return checkDefinition(parsed, file);
}

/**
 * An issue as one line: `file: path: message`, or `file: message` when the issue is about the whole file (its path
 * is the file, as {@link readDefinitionFile} reports it).
 */
export function formatIssue(file: string, issue: ConfigIssue): string {
  if (issue.path === file) return `${file}: ${issue.message}`;
  const path = issue.path.startsWith(`${file}.`) ? issue.path.slice(file.length + 1) : issue.path;
  return `${file}: ${path}: ${issue.message}`;
}

/** A JSON object of string values and no `config`: a Kafka Connect config map (or a .properties file) as is. */
function looksFlat(value: object): boolean {
  const entries = Object.entries(value).filter(([key]) => key !== 'name');
  return entries.length > 0 && entries.every(([, v]) => typeof v !== 'object' || v === null);
}

function flatConfigMessage(value: Readonly<Record<string, unknown>>): string {
  return `is missing: the file holds a flat config map; ${wrapHint(value)}`;
}

/** How to turn a flat config map (with or without `name`) into a definition, shown with its first keys. */
function wrapHint(flat: Readonly<Record<string, unknown>>): string {
  const { name, ...config } = flat;
  const entries = Object.entries(config);
  const shown = entries
    .slice(0, 2)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(String(value))}`);
  const more = entries.length > 2 ? ', …' : '';
  const named = typeof name === 'string' && name !== '' ? name : 'my-connector';
  return `wrap it as {"name": ${JSON.stringify(named)}, "config": {${shown.join(', ')}${more}}}`;
}

/** Java properties (`key=value` or `key: value` lines, `#`/`!` comments), or undefined when the text is not that. */
function propertiesOf(text: string): Record<string, string> | undefined {
  const lines = text.split(/\r?\n/).filter((line) => !/^\s*([#!].*)?$/.test(line));
  const pairs = lines.map((line) => /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line));
  if (pairs.length === 0 || pairs.some((pair) => pair === null)) return undefined;
  return Object.fromEntries(pairs.map((pair) => [pair?.[1] ?? '', pair?.[2] ?? '']));
}
