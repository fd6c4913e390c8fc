/**
 * Redaction: secrets never appear in logs, status output, metrics or error messages.
 * @module
 */
import type { Schema } from './schema.ts';
import { HIDDEN } from './secret.ts';

/** Key patterns treated as secret even when no schema declares them (custom keys, typos). */
const SECRET_KEY = /(password|secret|token|connection\.string|sharedaccesskey|credential|private\.key)/i;

/** @returns a copy of `properties` with every secret value replaced by `[hidden]`. */
export function redactProperties(
  properties: Readonly<Record<string, unknown>>,
  schemas: readonly Schema[] = [],
): Record<string, unknown> {
  const sensitive = new Set(
    schemas.flatMap((schema) =>
      Object.entries(schema)
        .filter(([, spec]) => spec.sensitive === true)
        .map(([key]) => key),
    ),
  );
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [
      key,
      sensitive.has(key) || SECRET_KEY.test(key) ? HIDDEN : value,
    ]),
  );
}

/** pino `redact` paths: every log field that may carry a secret. */
export const LOG_REDACT_PATHS = [
  'password',
  'token',
  'connectionString',
  'authorization',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.connectionString',
  'config["eventhubs.connection.string"]',
  'config["splunk.hec.token"]',
  'config["sol.password"]',
  'config["kafka.sasl.password"]',
];
