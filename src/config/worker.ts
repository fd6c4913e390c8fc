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
  mode: {
    doc:
      'standalone: connectors come from files and REST changes live in memory; distributed: definitions and ' +
      'target states live in a compacted Kafka topic that every replica reads (cluster.*).',
    format: ['standalone', 'distributed'],
    default: 'standalone',
    env: 'LOGBRIDGE_MODE',
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
  readonly log: { readonly level: string };
  readonly rest: { readonly host: string; readonly port: number; readonly auth: { readonly token: string } };
  readonly connectors: { readonly dir: string };
  readonly mode: 'standalone' | 'distributed';
  readonly cluster: {
    readonly config_topic: string;
    readonly eventhubs_connection_string: string;
    readonly bootstrap_servers: string;
    readonly ssl_ca_location: string;
  };
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
