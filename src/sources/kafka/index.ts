/**
 * The kafka source (Event Hubs' Kafka endpoint or any Kafka cluster) and the Kafka dead-letter writer.
 * @module
 */
export type { KafkaSourceConfig, SaslSettings } from './config.ts';
export { createKafka } from './client.ts';
export { KafkaSource } from './source.ts';
export { KafkaDeadLetterQueue, type DeadLetterConfig } from './dead-letter.ts';
export {
  parseConnectionString,
  ConnectionStringError,
  EVENT_HUBS_SETTINGS,
  EVENT_HUBS_KAFKA_PORT,
  type EventHubsEndpoint,
} from './event-hubs.ts';
export {
  KafkaAuthenticationError,
  KafkaAuthorizationError,
  KafkaUnknownTopicError,
  KafkaTransientError,
  KafkaTlsError,
} from './errors.ts';
export { fetchPartitionOffsets } from './offsets.ts';
export { kafkaSourceSchema, kafkaSourceConfigFrom } from './config.ts';
export { validateKafkaSource, createKafkaSource, type DeadLetterSettings } from './spec.ts';
export {
  oauthBearerProvider,
  OAuthTokenError,
  scopeOf,
  type TokenSource,
  type OAuthSettings,
} from './oauth.ts';
export {
  describeGroupOffsets,
  groupActivity,
  isGroupActive,
  type KafkaClient,
  type PartitionState,
} from './group-offsets.ts';
export {
  GroupActiveError,
  OffsetsRequestError,
  OffsetsFileError,
  OffsetsNotAppliedError,
  type GroupActivity,
  type OffsetMismatch,
} from './offsets-errors.ts';
export {
  describeSpec,
  type AutoOffsetReset,
  type ExplicitOffset,
  type PartitionSelection,
  type PlannedOffset,
  type ResetSpec,
} from './reset-targets.ts';
export {
  planReset,
  plannedChanges,
  type GroupTopics,
  type PlanOptions,
  type ResetPlan,
} from './reset-plan.ts';
export {
  applyPlan,
  deleteGroupOffsets,
  type ApplyResult,
  type ChangeOptions,
  type DeleteResult,
} from './apply-offsets.ts';
export {
  exportOffsets,
  formatOffsetsDocument,
  offsetsDocument,
  parseConnectOffsets,
  parseOffsetsDocument,
  toConnectOffsets,
  OFFSETS_FILE_FORMAT,
  OFFSETS_FILE_VERSION,
  type ConnectOffsetRow,
  type OffsetsDocument,
  type ParsedOffsetsFile,
} from './offsets-file.ts';
export {
  checkpointOffsets,
  parseAddOnCheckpointFile,
  parseBlobCheckpoints,
  type EventHubCheckpoint,
} from './checkpoint-files.ts';
export {
  readOffsetsFile,
  detectOffsetsFormat,
  OFFSETS_FILE_FORMATS,
  type ImportedOffsets,
  type OffsetsFileFormat,
  type ReadOffsetsOptions,
} from './offsets-import.ts';
export {
  KafkaConfigTopic,
  type ConfigTopicChange,
  type ConfigTopicConnector,
  type ConfigTopicState,
} from './config-topic.ts';
