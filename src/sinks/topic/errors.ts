/**
 * Errors of the topic-based sinks (`solace`, `mqtt`) that come before any transport: the event has no valid topic,
 * or its message is over the size limit (docs/errors.md, "Solace PubSub+ and MQTT sinks").
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** The event's topic cannot be made valid (empty level, too long, reserved prefix…): dead-lettered, never sent. */
export class TopicInvalidError extends BridgeError {
  readonly code = 'LB_TOPIC_INVALID';
  readonly disposition = 'reject';
}

/** The encoded message is over `sol.max_message_bytes` / `mqtt.max.message.bytes`: dead-lettered before sending. */
export class MessageTooLargeError extends BridgeError {
  readonly code = 'LB_MESSAGE_TOO_LARGE';
  readonly disposition = 'reject';
}
