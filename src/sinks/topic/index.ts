/**
 * What the topic-based sinks (`solace`, `mqtt`) share, each importing it from here: the topic builder (template,
 * sanitised levels, rewrite, validity), the message encoding (Buffer payload, `k_*` user properties, size limit) and
 * its settings, the per-message outcomes folded into the engine's batch outcome, and the publisher metrics. Not a
 * sink itself: it has no spec and the registry does not list it.
 * @module
 */
export {
  createTopicBuilder,
  checkTopicSettings,
  type TopicBuilder,
  type TopicResult,
  type TopicSettings,
} from './builder.ts';
export { sanitizeValue, topicProblem, MAX_TOPIC_BYTES, MAX_TOPIC_LEVELS } from './rules.ts';
export { createMessageEncoder, type EncoderSettings, type OffsetType } from './encoder.ts';
export { type MessageValues, messageSettingsFrom } from './message-config.ts';
export { type OutboundMessage, type UserProperty, propertyText } from './message.ts';
export { batchOutcome, DURABLE, type MessageOutcome } from './outcome.ts';
export { AckWatch, type AckWatchOptions } from './ack-watch.ts';
export { publisherMetrics, type PublisherMetrics, type Transport } from './metrics.ts';
export { TopicInvalidError, MessageTooLargeError } from './errors.ts';
