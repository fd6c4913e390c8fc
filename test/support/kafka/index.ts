export {
  committedOffsets,
  createTopic,
  endOffsets,
  groupMembers,
  recordCount,
  type CreateTopicOptions,
  type GroupMember,
  type GroupMembers,
  type PartitionOffsets,
} from './admin.ts';
export { KafkaBroker, startKafka, type StartKafkaOptions } from './broker.ts';
export { plaintextConfig, requireSasl, saslConfig } from './clients.ts';
export type { KafkaCoordinates, SaslListener } from './coordinates.ts';
export { ExternalKafka, externalKafkaFromEnv } from './external.ts';
export { ensureKafkaInstalled, kafkaVersion, type KafkaInstallation } from './install.ts';
export { waitForKafka } from './readiness.ts';
export {
  consumeAll,
  produce,
  type ConsumeAllOptions,
  type ConsumedRecord,
  type ProduceOptions,
} from './records.ts';
export { uniqueName } from '../names.ts';
