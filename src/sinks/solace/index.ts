/**
 * The Solace PubSub+ sinks: `solace` (SMF with solclientjs, guaranteed delivery) and `mqtt` (mqtt.js, QoS 1, to
 * Solace's MQTT service or any MQTT broker), sharing the topic builder and the message encoding.
 * @module
 */
export { solaceSpec } from './solace-spec.ts';
export { mqttSpec } from './mqtt-spec.ts';
export { SolaceSink, type SolaceSinkOptions } from './solace-sink.ts';
export { MqttSink, type MqttSinkOptions } from './mqtt-sink.ts';
export { solaceSinkSchema, type SolaceSinkConfig } from './solace-config.ts';
export { mqttSinkSchema, type MqttSinkConfig } from './mqtt-config.ts';
export {
  createTopicBuilder,
  checkTopicSettings,
  type TopicBuilder,
  type TopicResult,
  type TopicSettings,
} from './topic.ts';
export { sanitizeValue, topicProblem, MAX_TOPIC_BYTES, MAX_TOPIC_LEVELS } from './topic-rules.ts';
export { createMessageEncoder, type EncoderSettings, type OffsetType } from './encoder.ts';
export type { OutboundMessage, UserProperty } from './message.ts';
export { batchOutcome, type MessageOutcome } from './outcome.ts';
export {
  Subcode,
  OperationRefusedError,
  type SessionEvent,
  type SessionPort,
  type SessionFactory,
  type SessionSettings,
  type PreparedMessage,
  type DeliveryMode,
} from './session.ts';
export { loadSolclient } from './solclient.ts';
export { publisherMetrics, type PublisherMetrics } from './metrics.ts';
export {
  TopicInvalidError,
  MessageTooLargeError,
  SolaceNoSubscriberError,
  SolaceTooLargeError,
  SolaceAclError,
  SolaceSpoolFullError,
  SolaceRejectedError,
  SolaceLoginError,
  SolaceConfigError,
  SolaceConnectionError,
  SolaceLibraryError,
  MqttAuthError,
  MqttRefusedError,
  MqttConnectionError,
  MqttRejectedError,
  MqttPublishFailedError,
} from './errors.ts';
