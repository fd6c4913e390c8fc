/**
 * Worker settings (the process, not a connector): convict schema, read from an optional JSON file and
 * `LOGBRIDGE_*` environment variables (environment wins).
 * @module
 */
import { hostname } from 'node:os';
import convict from 'convict';

/** The worker schema; `docs` and the README's reference are generated from it. */
export const workerSchema = {
  worker: {
    id: {
      doc: 'Name of this worker in status output (Kafka Connect worker_id).',
      format: String,
      default: hostname(),
      env: 'LOGBRIDGE_WORKER_ID',
    },
  },
  log: {
    level: {
      doc: 'Log level.',
      format: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'],
      default: 'info',
      env: 'LOGBRIDGE_LOG_LEVEL',
    },
  },
  rest: {
    host: {
      doc: 'Address the REST API binds to; loopback unless told otherwise.',
      format: String,
      default: '127.0.0.1',
      env: 'LOGBRIDGE_REST_HOST',
    },
    port: {
      doc: 'REST API port (Kafka Connect: 8083). 0 disables the API.',
      format: 'port',
      default: 8083,
      env: 'LOGBRIDGE_REST_PORT',
    },
    auth: {
      token: {
        doc: 'When set, the API requires "Authorization: Bearer <token>" (except /healthz and /readyz).',
        format: String,
        default: '',
        sensitive: true,
        env: 'LOGBRIDGE_REST_AUTH_TOKEN',
      },
    },
  },
  connectors: {
    dir: {
      doc: 'Directory of connector definition files (*.json) started with the worker, besides those on the command line.',
      format: String,
      default: '',
      env: 'LOGBRIDGE_CONNECTORS_DIR',
    },
  },
} as const;

/** Worker settings, typed. */
export interface WorkerConfig {
  readonly worker: { readonly id: string };
  readonly log: { readonly level: string };
  readonly rest: { readonly host: string; readonly port: number; readonly auth: { readonly token: string } };
  readonly connectors: { readonly dir: string };
}

/**
 * Loads worker settings.
 * @param file optional JSON file.
 * @param env environment (default process.env).
 * @throws Error listing every invalid or unknown key.
 */
export function loadWorkerConfig(file?: string, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = convict(workerSchema, { env });
  if (file !== undefined) config.loadFile(file);
  config.validate({ allowed: 'strict' });
  return config.getProperties();
}
