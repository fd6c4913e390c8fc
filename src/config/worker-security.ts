/**
 * The worker settings of the security model (docs/deploy.md, "Security model"): who may call the REST API and how,
 * what an API caller's connectors may refer to (`config.providers.*`) and reach (`rest.connectors.allowed.hosts`).
 * Declared here and spread into the worker schema (worker.ts), so that docs/configuration.md lists them.
 * @module
 */
import { readFileSync } from 'node:fs';

/** The Helm chart's mount of its Secret: the default root of `${file:}` references made by API callers. */
export const CHART_SECRETS_PATH = '/var/run/secrets/logbridge';

/** `rest.*` and `rest.auth.*` settings beside host, port and token. */
export const restSecuritySchema = {
  auth: {
    token_file: {
      doc: 'File holding the REST token (Docker and Kubernetes secrets); used when rest.auth.token is empty.',
      format: String,
      default: '',
      env: 'LOGBRIDGE_REST_AUTH_TOKEN_FILE',
    },
    required: {
      doc:
        'A REST API on a non-loopback rest.host needs a token: without one logbridge refuses to start. false ' +
        'accepts an open API there (logged as a warning at start).',
      format: Boolean,
      default: true,
      env: 'LOGBRIDGE_REST_AUTH_REQUIRED',
    },
  },
  rest: {
    metrics: {
      token: {
        doc: 'A second bearer token accepted for GET /metrics only: the scrape credential, distinct from rest.auth.token.',
        format: String,
        default: '',
        sensitive: true,
        env: 'LOGBRIDGE_REST_METRICS_TOKEN',
      },
    },
    read: {
      only: {
        doc:
          'The API serves reads only (status, config, offsets, metrics, health): connectors come from files ' +
          '(GitOps) and every change over REST is refused with 403.',
        format: Boolean,
        default: false,
        env: 'LOGBRIDGE_REST_READ_ONLY',
      },
    },
    connectors: {
      allowed: {
        hosts: {
          doc:
            'Hosts a connector created or changed over REST may send to (HEC, Solace, MQTT, Kafka), comma-separated: ' +
            'names, *.domain wildcards, or * for any. Empty: the hosts of the connectors given at start (files).',
          format: Array,
          default: [] as string[],
          env: 'LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS',
        },
      },
    },
  },
} as const;

/** `config.providers.*`: what `${file:}` and `${env:}` references of API callers may resolve. */
export const configProvidersSchema = {
  providers: {
    file: {
      allowed: {
        paths: {
          doc:
            'Directories whose files a connector created or changed over REST may name (${file:…}, CA and key ' +
            'files), comma-separated; connectors.dir is added. Connector files of the operator may name any file.',
          format: Array,
          default: [CHART_SECRETS_PATH] as string[],
          env: 'LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS',
        },
      },
    },
    env: {
      allowed: {
        names: {
          doc:
            'Environment variables a connector created or changed over REST may name (${env:…}), comma-separated, ' +
            '* as a wildcard. The worker settings of LOGBRIDGE_* are never allowed.',
          format: Array,
          default: ['LOGBRIDGE_SECRET_*'] as string[],
          env: 'LOGBRIDGE_CONFIG_PROVIDERS_ENV_ALLOWED_NAMES',
        },
      },
    },
  },
} as const;

/** The typed settings. */
export interface RestSecurityConfig {
  readonly rest: {
    readonly auth: { readonly token: string; readonly token_file: string; readonly required: boolean };
    readonly metrics: { readonly token: string };
    readonly read: { readonly only: boolean };
    readonly connectors: { readonly allowed: { readonly hosts: readonly string[] } };
  };
  readonly config: {
    readonly providers: {
      readonly file: { readonly allowed: { readonly paths: readonly string[] } };
      readonly env: { readonly allowed: { readonly names: readonly string[] } };
    };
  };
}

/**
 * The REST token: `rest.auth.token`, else the content of `rest.auth.token_file` (trailing newline removed).
 * @throws Error naming the setting when the file cannot be read or is empty.
 */
export function restToken(auth: RestSecurityConfig['rest']['auth']): string {
  if (auth.token !== '' || auth.token_file === '') return auth.token;
  let token: string;
  try {
    token = readFileSync(auth.token_file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`rest.auth.token_file (LOGBRIDGE_REST_AUTH_TOKEN_FILE) ${auth.token_file}: ${reason}`, {
      cause: error,
    });
  }
  if (token.trim() === '') throw new Error(`rest.auth.token_file ${auth.token_file} is empty`);
  return token;
}
