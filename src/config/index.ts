/**
 * Configuration: option schemas, connector definitions, secret references and redaction.
 * @module
 */
export {
  defineSchema,
  parseOptions,
  closestKey,
  type Schema,
  type OptionSpec,
  type Values,
  type ConfigIssue,
  type Destination,
} from './schema.ts';
export {
  resolveSecrets,
  hideResolved,
  processSecrets,
  hasReference,
  referencesIn,
  type Reference,
  type ReferencePolicy,
  type SecretSources,
} from './secrets.ts';
export { Secret, HIDDEN, reveal, quoted } from './secret.ts';
export { CallerPolicy, type CallerLimits } from './caller-policy.ts';
export { hostRules, hostsOf, credentialsProblem, type HostRules } from './destinations.ts';
export { CHART_SECRETS_PATH, type RestSecurityConfig } from './worker-security.ts';
export {
  checkDefinition,
  connectorNameProblem,
  formatIssue,
  readDefinitionFile,
  type ConnectorDefinition,
} from './definition.ts';
export { connectorSchema } from './connector-schema.ts';
export { redactProperties, LOG_REDACT_PATHS } from './redact.ts';
export { loadWorkerConfig, MAX_WORKERS, memberWorkerId, workerSchema, type WorkerConfig } from './worker.ts';
