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
} from './schema.ts';
export { resolveSecrets, processSecrets, type SecretSources } from './secrets.ts';
export { checkDefinition, formatIssue, readDefinitionFile, type ConnectorDefinition } from './definition.ts';
export { connectorSchema } from './connector-schema.ts';
export { redactProperties, HIDDEN, LOG_REDACT_PATHS } from './redact.ts';
export { loadWorkerConfig, workerSchema, type WorkerConfig } from './worker.ts';
