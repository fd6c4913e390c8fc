/**
 * What logbridge does with each answer of the Solace broker or library, decided once, here
 * (docs/sinks/solace.md "Rejections"; reference/solace.md §4, §6, §7):
 *
 * | answer | error | disposition |
 * |---|---|---|
 * | NACK NO_SUBSCRIPTION_MATCH | `LB_SOLACE_NO_SUBSCRIBER` | reject: dead-letter the event |
 * | NACK or send() MESSAGE_TOO_LARGE | `LB_SOLACE_TOO_LARGE` | reject |
 * | NACK PUBLISH_ACL_DENIED | `LB_SOLACE_ACL` | fatal |
 * | NACK SPOOL_OVER_QUOTA, MAX_MESSAGE_USAGE_EXCEEDED, LOW_PRIORITY_MSG_CONGESTION | `LB_SOLACE_SPOOL_FULL` | retry |
 * | any other NACK | `LB_SOLACE_REJECTED` | retry |
 * | connect: LOGIN_FAILURE and refusals of the username, VPN or client name | `LB_SOLACE_LOGIN` | fatal |
 * | connect/send: GM_UNAVAILABLE, trust store or key unreadable, bad property | `LB_SOLACE_CONFIG` | fatal |
 * | send(): INVALID_TOPIC_SYNTAX (the topic builder prevents it) | `LB_TOPIC_INVALID` | reject |
 * | connect failed otherwise, session down, publisher flow down | `LB_SOLACE_CONNECTION` | retry |
 * @module
 */
import type { BridgeError } from '../../engine/index.ts';
import {
  SolaceAclError,
  SolaceConfigError,
  SolaceConnectionError,
  SolaceLoginError,
  SolaceNoSubscriberError,
  SolaceRejectedError,
  SolaceSpoolFullError,
  SolaceTooLargeError,
} from './errors.ts';
import { Subcode } from './session.ts';
import { TopicInvalidError } from '../topic/index.ts';

const NAMES = new Map<number, string>(Object.entries(Subcode).map(([name, code]) => [code, name]));

/** `NAME (n)` for a subcode, or `subcode n` when it is not one the sink names. */
export function subcodeName(subcode: number): string {
  const name = NAMES.get(subcode);
  return name === undefined ? `subcode ${subcode}` : `${name} (${subcode})`;
}

const SPOOL_FULL = new Set<number>([
  Subcode.SPOOL_OVER_QUOTA,
  Subcode.MAX_MESSAGE_USAGE_EXCEEDED,
  Subcode.LOW_PRIORITY_MSG_CONGESTION,
]);

/** Where a message went and who sent it, for messages that say what to fix. */
export interface PublishContext {
  readonly topic: string;
  readonly userName: string;
  readonly vpnName: string;
}

/** Classifies a REJECTED_MESSAGE_ERROR (a NACK) for one message. */
export function rejectionError(
  subcode: number,
  info: string,
  responseCode: number | undefined,
  context: PublishContext,
): BridgeError {
  const said = `${subcodeName(subcode)}${responseCode === undefined ? '' : ` ${responseCode}`} "${info}"`;
  const topic = `topic "${context.topic}"`;
  switch (subcode) {
    case Subcode.NO_SUBSCRIPTION_MATCH:
      return new SolaceNoSubscriberError(
        `Solace rejected the message to ${topic} (${said}): no queue subscribes to it and the client profile ` +
          'has reject-msg-to-sender-on-no-subscription-match; add a queue subscription that matches it, ' +
          'or turn that setting off to let the broker discard such messages',
      );
    case Subcode.MESSAGE_TOO_LARGE:
      return tooLarge(topic, said);
    case Subcode.PUBLISH_ACL_DENIED:
      return new SolaceAclError(
        `Solace denied publishing to ${topic} (${said}): allow it in the ACL profile of client-username ` +
          `"${context.userName}" in VPN "${context.vpnName}", or change sol.topic`,
      );
    default:
      if (SPOOL_FULL.has(subcode)) {
        return new SolaceSpoolFullError(
          `Solace's spool or a queue is full (${said}) for ${topic}: retrying; drain or enlarge the queues`,
        );
      }
      return new SolaceRejectedError(`Solace rejected the message to ${topic} (${said}): retrying`);
  }
}

function tooLarge(topic: string, said: string): BridgeError {
  return new SolaceTooLargeError(
    `Solace refused the message to ${topic} as too large (${said}): lower sol.max_message_bytes so that ` +
      "such events are dead-lettered before sending, or raise the broker's and queues' max-msg-size",
  );
}

const LOGIN_REFUSALS = new Set<number>([
  Subcode.LOGIN_FAILURE,
  Subcode.MESSAGE_VPN_NOT_ALLOWED,
  Subcode.CLIENT_USERNAME_IS_SHUTDOWN,
  Subcode.DYNAMIC_CLIENTS_NOT_ALLOWED,
  Subcode.CLIENT_NAME_INVALID,
  Subcode.CLIENT_ACL_DENIED,
  Subcode.BASIC_AUTHENTICATION_IS_SHUTDOWN,
  Subcode.CLIENT_CERTIFICATE_AUTHENTICATION_IS_SHUTDOWN,
]);

const CONFIG_REFUSALS = new Set<number>([
  Subcode.FAILED_LOADING_TRUSTSTORE,
  Subcode.FAILED_LOADING_CERTIFICATE_AND_KEY,
  Subcode.PARAMETER_OUT_OF_RANGE,
  Subcode.PARAMETER_CONFLICT,
  Subcode.PARAMETER_INVALID_TYPE,
  Subcode.GM_UNAVAILABLE,
]);

/** Who connects where, for connect failure messages. */
export interface ConnectContext {
  readonly url: readonly string[];
  readonly userName: string;
  readonly vpnName: string;
  readonly clientName: string;
}

/** Classifies CONNECT_FAILED_ERROR, DOWN_ERROR and a refused createSession. */
export function connectError(subcode: number, info: string, context: ConnectContext): BridgeError {
  const said = `${subcodeName(subcode)} "${info}"`;
  if (LOGIN_REFUSALS.has(subcode)) {
    return new SolaceLoginError(
      `Solace refused the login of client-username "${context.userName}" to VPN "${context.vpnName}" (${said}): ` +
        'check sol.username, sol.password, sol.vpn_name, sol.authentication_scheme and the client profile',
    );
  }
  if (CONFIG_REFUSALS.has(subcode)) return configError(said);
  if (subcode === Subcode.CLIENT_NAME_ALREADY_IN_USE) {
    return new SolaceConnectionError(
      `Solace says client name "${context.clientName}" is in use (${said}): retrying; another session ` +
        'holds it (or an old one not yet timed out). Leave sol.client_name empty to get a unique name per replica',
    );
  }
  return new SolaceConnectionError(`no Solace session to ${context.url.join(',')} (${said}): retrying`);
}

/** solclientjs session property names and the connector keys that set them. */
const PROPERTY_KEYS: Readonly<Record<string, string>> = {
  url: 'sol.host',
  vpnName: 'sol.vpn_name',
  userName: 'sol.username',
  password: 'sol.password',
  clientName: 'sol.client_name',
  authenticationScheme: 'sol.authentication_scheme',
  sslCipherSuites: 'sol.ssl_cipher_suites',
  sslTrustedCommonNameList: 'sol.ssl_trusted_common_name_list',
  sslTrustStores: 'sol.ssl_trust_store',
  connectTimeoutInMsecs: 'sol.channel_properties.connect_timeout_in_millis',
  reconnectRetryWaitInMsecs: 'sol.channel_properties.reconnect_retry_wait_in_millis',
  keepAliveIntervalsLimit: 'sol.channel_properties.keep_alive_limit',
};

/**
 * Classifies a synchronous refusal of `createSession` or `connect` (an OperationError on a session property): the
 * session can never start as configured, so the connector fails, naming the key to change when the library names
 * the property.
 */
export function sessionRefusalError(subcode: number, message: string): BridgeError {
  const property = /Property '(\w+)'/.exec(message)?.[1];
  const key = property === undefined ? undefined : PROPERTY_KEYS[property];
  const fix = key === undefined ? 'check the sol.* session settings' : `change ${key}`;
  return new SolaceConfigError(
    `solclientjs refused the session settings (${subcodeName(subcode)} "${message}"): ${fix}`,
  );
}

/** Classifies an OperationError that `send()` threw (other than INSUFFICIENT_SPACE). */
export function sendRefusalError(subcode: number, message: string, topic: string): BridgeError {
  const said = `${subcodeName(subcode)} "${message}"`;
  if (subcode === Subcode.MESSAGE_TOO_LARGE) return tooLarge(`topic "${topic}"`, said);
  if (subcode === Subcode.GM_UNAVAILABLE) return configError(said);
  if (subcode === Subcode.INVALID_TOPIC_SYNTAX) {
    return new TopicInvalidError(`solclientjs refused topic "${topic}" (${said})`);
  }
  return new SolaceConnectionError(`solclientjs refused to send (${said}): retrying`);
}

function configError(said: string): BridgeError {
  return new SolaceConfigError(
    `the Solace session cannot work as configured (${said}): GM_UNAVAILABLE means the broker or VPN has no ` +
      'guaranteed messaging (enable the message spool, or opt into sol.delivery_mode=DIRECT, at-most-once); ' +
      'otherwise check sol.ssl_trust_store, sol.ssl_certificate, sol.ssl_private_key and the session settings',
  );
}
