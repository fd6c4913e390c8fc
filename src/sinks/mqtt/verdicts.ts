/**
 * What the `mqtt` sink does with each broker answer, decided once, here (MQTT 3.1.1 §3.2.2.3 CONNACK return codes,
 * MQTT 5 §2.4 reason codes; docs/sinks/solace.md "Rejections"):
 *
 * | answer | error | disposition |
 * |---|---|---|
 * | CONNACK 4, 5; v5 0x86, 0x87, 0x8C; PUBACK 0x87 | `LB_MQTT_AUTH` | fatal |
 * | CONNACK 1, 2; v5 0x81, 0x82, 0x84, 0x85, 0x8A, 0x95, 0x9A, 0x9B | `LB_MQTT_REFUSED` | fatal |
 * | PUBACK 0x90 topic name invalid, 0x99 payload format invalid | `LB_MQTT_REJECTED` | reject |
 * | PUBACK 0x80, 0x83, 0x91, 0x97 | `LB_MQTT_PUBLISH_FAILED` | retry |
 * | anything else: network errors, CONNACK 3, v5 0x88, 0x89, 0x97… | `LB_MQTT_CONNECTION` | retry |
 * @module
 */
import type { BridgeError } from '../../engine/index.ts';
import {
  MqttAuthError,
  MqttConnectionError,
  MqttPublishFailedError,
  MqttRefusedError,
  MqttRejectedError,
} from './errors.ts';

const AUTH = new Set([4, 5, 0x86, 0x87, 0x8c]);
const REFUSED = new Set([1, 2, 0x81, 0x82, 0x84, 0x85, 0x8a, 0x95, 0x9a, 0x9b]);
const BAD_MESSAGE = new Set([0x90, 0x99]);
const PUBLISH_TRANSIENT = new Set([0x80, 0x83, 0x91, 0x97]);

/** Who connects where, for messages that say what to fix. Never the password. */
export interface MqttContext {
  readonly url: string;
  readonly username: string | undefined;
  readonly clientId: string;
}

/** The numeric reason of an mqtt.js error (CONNACK or PUBACK), if it has one. */
function reasonOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function describe(error: unknown): string {
  const reason = reasonOf(error);
  const text = error instanceof Error ? error.message : String(error);
  return reason === undefined ? text : `${text}, reason 0x${reason.toString(16).padStart(2, '0')}`;
}

/** Classifies an error of the connection (an `error` event of mqtt.js: CONNACK refusals, network errors). */
export function connectionError(error: unknown, context: MqttContext): BridgeError {
  const reason = reasonOf(error);
  const said = describe(error);
  if (reason !== undefined && AUTH.has(reason)) {
    return new MqttAuthError(
      `the MQTT broker ${context.url} refused the credentials of user "${context.username ?? ''}" (${said}): ` +
        'check mqtt.username and mqtt.password (Solace: the client username, its VPN and client profile)',
      { cause: error },
    );
  }
  if (reason !== undefined && REFUSED.has(reason)) {
    return new MqttRefusedError(
      `the MQTT broker ${context.url} refused client "${context.clientId}" (${said}): check ` +
        'mqtt.protocol.version, mqtt.client.id and that the broker accepts QoS 1',
      { cause: error },
    );
  }
  return new MqttConnectionError(`no MQTT connection to ${context.url} (${said}): retrying`, {
    cause: error,
  });
}

/** Classifies the error of one PUBLISH (a PUBACK reason code ≥ 0x80, or the connection going away). */
export function publishError(error: unknown, topic: string, context: MqttContext): BridgeError {
  const reason = reasonOf(error);
  const said = describe(error);
  if (reason === 0x87) {
    return new MqttAuthError(
      `the MQTT broker does not allow user "${context.username ?? ''}" to publish to topic "${topic}" (${said}): ` +
        "allow it in the broker's ACL, or change mqtt.topic",
      { cause: error },
    );
  }
  if (reason !== undefined && BAD_MESSAGE.has(reason)) {
    return new MqttRejectedError(`the MQTT broker refused the message to topic "${topic}" (${said})`, {
      cause: error,
    });
  }
  if (reason !== undefined && PUBLISH_TRANSIENT.has(reason)) {
    return new MqttPublishFailedError(
      `the MQTT broker failed the message to topic "${topic}" (${said}): retrying`,
      {
        cause: error,
      },
    );
  }
  return new MqttConnectionError(`the PUBLISH to topic "${topic}" did not complete (${said}): retrying`, {
    cause: error,
  });
}
