/**
 * What a connector created or changed over the REST API may refer to and reach. The operator's connector files are
 * trusted; an API caller is not, so its definitions are checked before anything is read or sent:
 *
 * - `${env:NAME}` only for names in `config.providers.env.allowed.names`, never a worker setting's variable;
 * - `${file:PATH}` and file options (CA, certificate, key files) only under `config.providers.file.allowed.paths`,
 *   symbolic links resolved, never the REST token file;
 * - references only in secret options, where the resolved value stays a {@link Secret} wherever it goes;
 * - destinations (HEC, Solace, MQTT, Kafka hosts) only among `rest.connectors.allowed.hosts`.
 *
 * A value the stored definition already has at the same key is the operator's and passes. Messages quote what the
 * caller wrote (a reference, a path, a host name), never a resolved value.
 * @module
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { type HostRules, hostsOf } from './destinations.ts';
import type { ConfigIssue, OptionSpec } from './schema.ts';
import { Secret } from './secret.ts';
import {
  hasReference,
  processSecrets,
  type ReferencePolicy,
  resolveSecrets,
  type SecretSources,
} from './secrets.ts';

/** The operator's limits on API callers, from the worker settings. */
export interface CallerLimits {
  /** Directories (as configured; symbolic links are resolved when checking). */
  readonly fileRoots: readonly string[];
  /** Environment variable names, `*` as a wildcard. */
  readonly envNames: readonly string[];
  /** Variables and files no connector may name (the worker's own secrets). */
  readonly reservedEnv: readonly string[];
  readonly reservedFiles: readonly string[];
  readonly hosts: HostRules;
}

type Config = Readonly<Record<string, unknown>>;

const FILES_SETTING =
  'the operator allows directories with config.providers.file.allowed.paths (LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS)';
const ENV_SETTING =
  'the operator allows variables with config.providers.env.allowed.names (LOGBRIDGE_CONFIG_PROVIDERS_ENV_ALLOWED_NAMES, default LOGBRIDGE_SECRET_*)';
const OUTSIDE_SECRET_OPTIONS =
  'holds a secret reference, which a connector created over REST may use only in secret options ' +
  '(passwords, tokens, connection strings), where the value stays hidden: write the value itself';
const HOSTS_SETTING =
  'the operator allows hosts with rest.connectors.allowed.hosts (LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS)';

/** Checks definitions coming from API callers. */
export class CallerPolicy {
  readonly #limits: CallerLimits;
  readonly #roots: readonly string[];
  readonly #names: readonly RegExp[];

  constructor(limits: CallerLimits) {
    this.#limits = limits;
    this.#roots = limits.fileRoots.filter((root) => root !== '').map((root) => realOrNormal(root));
    this.#names = limits.envNames.map(globToRegExp);
  }

  /**
   * The reference policy for a change to a definition whose stored config is `previous`: references resolve only
   * in secret options (elsewhere a resolved value would be validated, and quoted, as plain text) and only to the
   * allowed variables and files.
   * @param specOf the option of a key, when a schema in play declares it.
   */
  references(
    previous: Config | undefined,
    specOf: (key: string) => OptionSpec | undefined = () => undefined,
  ): ReferencePolicy {
    return {
      refusal: (reference, key, raw) => {
        if (previous?.[key] === raw) return undefined;
        if (specOf(key)?.sensitive !== true) return OUTSIDE_SECRET_OPTIONS;
        return reference.kind === 'env'
          ? this.#envRefusal(reference.whole, reference.name)
          : this.#fileRefusal(reference.whole, reference.name);
      },
    };
  }

  /**
   * Every problem of a caller's definition besides its references' own: references outside secret options, file
   * options outside the allowed paths, destinations outside the allowed hosts.
   * @param specOf the option of a key, when a schema in play declares it.
   */
  check(
    config: Config,
    options: {
      readonly previous?: Config | undefined;
      readonly specOf: (key: string) => OptionSpec | undefined;
      readonly sources?: SecretSources;
    },
  ): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const changed = Object.entries(config).filter(([key, value]) => options.previous?.[key] !== value);
    for (const [key, value] of changed) {
      const spec = options.specOf(key);
      const problem = this.#problemOf(value, spec);
      if (problem !== undefined) issues.push({ path: `config.${key}`, message: problem });
      if (spec?.destination !== undefined && problem === undefined) {
        issues.push(...this.#destinationIssues(key, value, spec, options.sources ?? processSecrets));
      }
    }
    return issues;
  }

  /** A file option outside the allowed paths (references are the reference policy's). */
  #problemOf(value: unknown, spec: OptionSpec | undefined): string | undefined {
    if (typeof value !== 'string' || hasReference(value) || spec?.file !== true) return undefined;
    return this.#pathsRefusal(spec.type === 'list' ? value.split(',') : [value]);
  }

  #destinationIssues(key: string, value: unknown, spec: OptionSpec, sources: SecretSources): ConfigIssue[] {
    if (this.#limits.hosts.any || spec.destination === undefined) return [];
    const resolved = resolveSecrets(
      { [key]: value },
      'config',
      sources,
      this.references(undefined, () => spec),
    );
    const text = resolved.properties[key];
    if (resolved.issues.length > 0 || !(typeof text === 'string' || text instanceof Secret)) return [];
    const secret = text instanceof Secret;
    const plain = secret ? text.reveal() : text;
    const refused = hostsOf(spec.destination, plain).filter((host) => !this.#limits.hosts.allows(host));
    if (refused.length === 0) return [];
    const what = secret ? 'names a host' : `sends to ${refused.join(', ')}, which is`;
    return [
      {
        path: `config.${key}`,
        message: `${what} not among the hosts a connector created over REST may reach: ${HOSTS_SETTING}`,
      },
    ];
  }

  #envRefusal(whole: string, name: string): string | undefined {
    if (this.#limits.reservedEnv.includes(name)) {
      return `refers to ${whole}, a setting of the worker itself, which no connector may use`;
    }
    if (this.#names.some((pattern) => pattern.test(name))) return undefined;
    return `refers to ${whole}, which a connector created over REST may not use: ${ENV_SETTING}`;
  }

  #fileRefusal(whole: string, path: string): string | undefined {
    if (!isAbsolute(path)) return `refers to ${whole}: the path must be absolute`;
    if (!this.#allowedFile(path)) {
      return `refers to ${whole}, outside the directories a connector created over REST may read: ${FILES_SETTING}`;
    }
    return undefined;
  }

  #pathsRefusal(paths: readonly string[]): string | undefined {
    const path = paths.map((p) => p.trim()).find((p) => p !== '' && !(isAbsolute(p) && this.#allowedFile(p)));
    if (path === undefined) return undefined;
    return `${JSON.stringify(path)} is outside the directories a connector created over REST may read (give an absolute path under them): ${FILES_SETTING}`;
  }

  #allowedFile(path: string): boolean {
    const real = realOrNormal(path);
    if (this.#limits.reservedFiles.some((file) => file !== '' && realOrNormal(file) === real)) return false;
    return this.#roots.some(
      (root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep),
    );
  }
}

/** Where a path really is: symbolic links resolved (of its directory, when it does not exist), else normalised. */
function realOrNormal(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return normalize(path);
    }
  }
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}
