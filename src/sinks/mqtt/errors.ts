/**
 * Errors of the `mqtt` sink, each with its code and disposition (docs/errors.md, "Solace PubSub+ and MQTT sinks").
 * Which broker answer maps to which class is decided once, in `verdicts.ts`.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** The MQTT broker refused the credentials (CONNACK 4/5; v5 0x86, 0x87; PUBACK 0x87 not authorized). */
export class MqttAuthError extends BridgeError {
  readonly code = 'LB_MQTT_AUTH';
  readonly disposition = 'fatal';
}

/** The MQTT broker refused the connection for a reason that a retry does not fix (protocol, client id, banned). */
export class MqttRefusedError extends BridgeError {
  readonly code = 'LB_MQTT_REFUSED';
  readonly disposition = 'fatal';
}

/** No MQTT connection (refused, reset, timeout, broker unavailable or busy): retried. */
export class MqttConnectionError extends BridgeError {
  readonly code = 'LB_MQTT_CONNECTION';
  readonly disposition = 'retry';
}

/** MQTT v5 PUBACK refused this message for good (topic name invalid, payload format invalid, packet too large). */
export class MqttRejectedError extends BridgeError {
  readonly code = 'LB_MQTT_REJECTED';
  readonly disposition = 'reject';
}

/** MQTT v5 PUBACK with a transient failure (quota exceeded, unspecified or implementation-specific error). */
export class MqttPublishFailedError extends BridgeError {
  readonly code = 'LB_MQTT_PUBLISH_FAILED';
  readonly disposition = 'retry';
}

/** A PUBLISH waited longer than `mqtt.send.timeout.ms` for its PUBACK: the connection is dropped and it is resent. */
export class MqttSendTimeoutError extends BridgeError {
  readonly code = 'LB_MQTT_SEND_TIMEOUT';
  readonly disposition = 'retry';
}
