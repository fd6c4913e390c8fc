/**
 * Errors of the `solace` sink, each with its code and disposition (docs/errors.md, "Solace PubSub+ and MQTT sinks").
 * Which broker or library answer maps to which class is decided once, in `verdicts.ts`.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** NACK NO_SUBSCRIPTION_MATCH: no queue subscribes to the topic and the client profile asks to be told. */
export class SolaceNoSubscriberError extends BridgeError {
  readonly code = 'LB_SOLACE_NO_SUBSCRIBER';
  readonly disposition = 'reject';
}

/** NACK or send() MESSAGE_TOO_LARGE: the broker's limit is below this message. */
export class SolaceTooLargeError extends BridgeError {
  readonly code = 'LB_SOLACE_TOO_LARGE';
  readonly disposition = 'reject';
}

/** NACK PUBLISH_ACL_DENIED: the client username's ACL profile forbids publishing to the topic. */
export class SolaceAclError extends BridgeError {
  readonly code = 'LB_SOLACE_ACL';
  readonly disposition = 'fatal';
}

/** NACK for a full spool or queue quota (SPOOL_OVER_QUOTA, MAX_MESSAGE_USAGE_EXCEEDED…): retried. */
export class SolaceSpoolFullError extends BridgeError {
  readonly code = 'LB_SOLACE_SPOOL_FULL';
  readonly disposition = 'retry';
}

/** Any other NACK (queue shut down, broker not ready, unknown subcode): retried, the subcode in the message. */
export class SolaceRejectedError extends BridgeError {
  readonly code = 'LB_SOLACE_REJECTED';
  readonly disposition = 'retry';
}

/** The broker refused the login (LOGIN_FAILURE and the other refusals of a client username or VPN). */
export class SolaceLoginError extends BridgeError {
  readonly code = 'LB_SOLACE_LOGIN';
  readonly disposition = 'fatal';
}

/** The session cannot work as configured: no guaranteed messaging, unreadable trust store or key, bad property. */
export class SolaceConfigError extends BridgeError {
  readonly code = 'LB_SOLACE_CONFIG';
  readonly disposition = 'fatal';
}

/** Connect failed, the session went down, reconnect gave up or the publisher flow closed: retried. */
export class SolaceConnectionError extends BridgeError {
  readonly code = 'LB_SOLACE_CONNECTION';
  readonly disposition = 'retry';
}

/** solclientjs could not be loaded. */
export class SolaceLibraryError extends BridgeError {
  readonly code = 'LB_SOLACE_LIBRARY';
  readonly disposition = 'fatal';
}

/** A guaranteed message waited longer than `sol.send.timeout.ms` for its acknowledgement: resent on a new session. */
export class SolaceSendTimeoutError extends BridgeError {
  readonly code = 'LB_SOLACE_SEND_TIMEOUT';
  readonly disposition = 'retry';
}
