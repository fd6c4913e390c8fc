/**
 * The worker's side of the security model: the {@link CallerPolicy} built from the worker settings and the
 * operator's connector files, and the checks a definition from the REST API goes through before it is stored.
 * @module
 */
import {
  CallerPolicy,
  type ConfigIssue,
  type ConnectorDefinition,
  hostRules,
  hostsOf,
  type OptionSpec,
  type ReferencePolicy,
  resolveSecrets,
  reveal,
  Secret,
  type WorkerConfig,
  workerSchema,
} from '../config/index.ts';
import { optionsOf } from './options.ts';

/**
 * The limits of API callers. `rest.connectors.allowed.hosts` when set, else the hosts the operator's connector
 * files send to; `${file:}` roots are `config.providers.file.allowed.paths` and `connectors.dir`.
 */
export function callerPolicyFor(
  config: WorkerConfig,
  operatorDefinitions: readonly ConnectorDefinition[],
): CallerPolicy {
  const configured = config.rest.connectors.allowed.hosts;
  return new CallerPolicy({
    fileRoots: [...config.config.providers.file.allowed.paths, config.connectors.dir],
    envNames: config.config.providers.env.allowed.names,
    reservedEnv: environmentNames(workerSchema),
    reservedFiles: [config.rest.auth.token_file],
    hosts: hostRules(configured.length > 0 ? configured : operatorHosts(operatorDefinitions)),
  });
}

/** The hosts the operator's connectors send to (their references resolved as the operator's are). */
export function operatorHosts(definitions: readonly ConnectorDefinition[]): string[] {
  const hosts = new Set<string>();
  for (const definition of definitions) {
    const specs = specLookup(definition.config);
    const { properties } = resolveSecrets(definition.config, 'config');
    for (const [key, value] of Object.entries(properties)) {
      const destination = specs(key)?.destination;
      if (destination === undefined || !(typeof value === 'string' || value instanceof Secret)) continue;
      for (const host of hostsOf(destination, reveal(value))) hosts.add(host);
    }
  }
  return [...hosts].sort();
}

/**
 * The reference policy for a definition from an API caller, to validate it with: references only in its secret
 * options, to allowed variables and files.
 * @param previous the stored definition it replaces: what it already holds is the operator's and passes.
 */
export function callerReferences(
  policy: CallerPolicy,
  config: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): ReferencePolicy {
  return policy.references(previous, specLookup(config));
}

/**
 * Everything the policy refuses besides references: file options and destinations.
 * @param previous the stored definition it replaces: what it already holds is the operator's and passes.
 */
export function callerIssues(
  policy: CallerPolicy,
  config: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): ConfigIssue[] {
  return policy.check(config, { previous, specOf: specLookup(config) });
}

function specLookup(config: Readonly<Record<string, unknown>>): (key: string) => OptionSpec | undefined {
  const specs = new Map(optionsOf(config).map((entry) => [entry.key, entry.spec]));
  return (key) => specs.get(key);
}

/** The environment variables of the worker settings (never a connector's to read). */
function environmentNames(node: object): string[] {
  return Object.values(node).flatMap((value: unknown) => {
    if (typeof value !== 'object' || value === null) return [];
    if ('env' in value && typeof value.env === 'string') return [value.env];
    return 'doc' in value ? [] : environmentNames(value);
  });
}
