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
  if (typeof name !== 'string' || !NAME.test(name)) {
    issues.push({
      path: `${path}.name`,
      message:
        'must be 1-200 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
    });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    issues.push({ path: `${path}.config`, message: 'must be an object of string properties' });
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
    return { issues: [{ path: file, message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  return checkDefinition(parsed, file);
}
