/**
 * Worker settings (the process, not a connector): convict schema, read from an optional JSON file and
 * `LOGBRIDGE_*` environment variables (environment wins).
 * @module
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import convict from 'convict';
import {
  configProvidersSchema,
  type RestSecurityConfig,
  restSecuritySchema,
  restToken,
} from './worker-security.ts';

/** The highest `workers` setting. */
export const MAX_WORKERS = 64;

function workersFormat(value: unknown): void {
  if (value === 'auto') return;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(`must be auto or a whole number from 1 to ${String(MAX_WORKERS)}`);
  }
}

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
    summary_interval_ms: {
      doc:
        'Period of the summary log line (per connector: state, records in and out per sink, rate, lag, in flight, ' +
        'dead letters, sink health), ms. 0 turns it off.',
      format: 'nat',
      default: 30000,
      env: 'LOGBRIDGE_LOG_SUMMARY_INTERVAL_MS',
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
      ...restSecuritySchema.auth,
    },
    ...restSecuritySchema.rest,
  },
  config: configProvidersSchema,
  mode: {
    doc:
      'standalone: connectors come from files and REST changes live in memory; distributed: definitions and ' +
      'target states live in a compacted Kafka topic that every replica reads (cluster.*).',
    format: ['standalone', 'distributed'],
    default: 'standalone',
    env: 'LOGBRIDGE_MODE',
  },
  workers: {
    doc:
      'Processes that run the Kafka-source connectors, each a member of their consumer groups behind this ' +
      "process's REST API (Kafka balances the partitions). auto: one per CPU of the container's CPU limit, no more " +
      'than one per 384 MiB (or twice the V8 heap limit) of its memory limit, at least 1; or a number from 1 to 64.',
    format: workersFormat,
    default: 'auto',
    env: 'LOGBRIDGE_WORKERS',
  },
  cluster: {
    config_topic: {
      doc: 'Distributed mode: the compacted topic (event hub) holding connector definitions and target states.',
      format: String,
      default: 'logbridge-configs',
      env: 'LOGBRIDGE_CONFIG_TOPIC',
    },
    eventhubs_connection_string: {
      doc: 'Distributed mode: Event Hubs connection string for the config topic (or use cluster.bootstrap_servers).',
      format: String,
      default: '',
      sensitive: true,
      env: 'LOGBRIDGE_EVENTHUBS_CONNECTION_STRING',
    },
    bootstrap_servers: {
      doc: 'Distributed mode: host:port list of the Kafka cluster holding the config topic.',
      format: String,
      default: '',
      env: 'LOGBRIDGE_BOOTSTRAP_SERVERS',
    },
    ssl_ca_location: {
      doc: "Distributed mode: PEM file of CAs to trust for the config topic's brokers.",
      format: String,
      default: '',
      env: 'LOGBRIDGE_SSL_CA_LOCATION',
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
  readonly log: { readonly level: string; readonly summary_interval_ms: number };
  readonly rest: { readonly host: string; readonly port: number } & RestSecurityConfig['rest'];
  readonly config: RestSecurityConfig['config'];
  readonly connectors: { readonly dir: string };
  readonly mode: 'standalone' | 'distributed';
  /** `auto` or a number of processes; {@link workerProcesses} gives the count. */
  readonly workers: string | number;
  readonly cluster: {
    readonly config_topic: string;
    readonly eventhubs_connection_string: string;
    readonly bootstrap_servers: string;
    readonly ssl_ca_location: string;
  };
}

/** The worker id of member process `index` (`workers` > 1) of the worker `primaryId`: its tasks' `worker_id`. */
export function memberWorkerId(primaryId: string, index: number): string {
  return `${primaryId}-member-${String(index)}`;
}

/**
 * Loads worker settings. In the file, keys may be nested (`{"rest": {"port": 8084}}`) or flat as the reference
 * lists them (`{"rest.port": 8084}`), or both.
 * @param file optional JSON file.
 * @param env environment (default process.env).
 * @throws Error listing every invalid or unknown key.
 */
export function loadWorkerConfig(file?: string, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = convict(workerSchema, { env });
  if (file !== undefined) config.load(nestedSettings(readSettingsFile(file), file));
  config.validate({ allowed: 'strict' });
  const properties = config.getProperties();
  const auth = { ...properties.rest.auth, token: restToken(properties.rest.auth) };
  return { ...properties, rest: { ...properties.rest, auth } };
}

function readSettingsFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`worker settings ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`worker settings ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Settings with every dotted key (`rest.port`) expanded into nested objects.
 * @throws Error when the file is not an object, or one setting is given twice with different values.
 */
export function nestedSettings(value: unknown, file: string): Record<string, unknown> {
  if (!isObject(value)) throw new Error(`worker settings ${file} must be a JSON object of settings`);
  const out: Record<string, unknown> = {};
  const put = (path: readonly string[], leaf: unknown): void => {
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part] ?? {};
      if (!isObject(next)) throw twice(file, path);
      node[part] = next;
      node = next;
    }
    const last = path.at(-1) ?? '';
    if (last in node && JSON.stringify(node[last]) !== JSON.stringify(leaf)) throw twice(file, path);
    node[last] = leaf;
  };
  const walk = (node: Record<string, unknown>, prefix: readonly string[]): void => {
    for (const [key, leaf] of Object.entries(node)) {
      const path = [...prefix, ...key.split('.')];
      if (isObject(leaf)) walk(leaf, path);
      else put(path, leaf);
    }
  };
  walk(value, []);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function twice(file: string, path: readonly string[]): Error {
  return new Error(
    `worker settings ${file}: ${path.join('.')} is given twice (flat and nested) with different values`,
  );
}
