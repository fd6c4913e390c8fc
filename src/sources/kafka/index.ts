/**
 * The kafka source (Event Hubs' Kafka endpoint or any Kafka cluster), the Kafka dead-letter writer, and the kafka
 * adapter of the offsets tooling (src/offsets).
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
export { readLatestRecords, type SampleReadOptions } from './sample-read.ts';
export { kafkaSourceSchema, kafkaSourceConfigFrom } from './config.ts';
export { validateKafkaSource, createKafkaSource, type DeadLetterSettings } from './spec.ts';
export {
  oauthBearerProvider,
  OAuthTokenError,
  scopeOf,
  type TokenSource,
  type OAuthSettings,
} from './oauth.ts';
export { kafkaOffsets, type KafkaClient } from './group-offsets.ts';
export {
  KafkaConfigTopic,
  type ConfigTopicChange,
  type ConfigTopicConnector,
  type ConfigTopicState,
} from './config-topic.ts';
