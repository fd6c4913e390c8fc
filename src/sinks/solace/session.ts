/**
 * The library boundary of the `solace` sink: exactly the part of solclientjs that the publisher uses, as a port.
 * `solclient.ts` adapts the real library to it; tests use a fake session that reproduces the documented behaviour
 * (reference/solace.md §4–§8). The events and subcodes are solclientjs's own, renamed but not reinterpreted.
 * @module
 */
import type { Secret } from '../../config/index.ts';
import type { OutboundMessage } from '../topic/index.ts';

/** solclientjs `ErrorSubcode` values the sink acts on (reference/solace.md §4, §6, §7; the package's enum). */
export const Subcode = {
  TIMEOUT: 4,
  MESSAGE_VPN_NOT_ALLOWED: 5,
  MESSAGE_VPN_UNAVAILABLE: 6,
  CLIENT_USERNAME_IS_SHUTDOWN: 7,
  DYNAMIC_CLIENTS_NOT_ALLOWED: 8,
  CLIENT_NAME_ALREADY_IN_USE: 9,
  CLIENT_NAME_INVALID: 10,
  TOO_MANY_CLIENTS: 12,
  LOGIN_FAILURE: 13,
  CLIENT_ACL_DENIED: 15,
  PUBLISH_ACL_DENIED: 17,
  PARAMETER_OUT_OF_RANGE: 18,
  PARAMETER_CONFLICT: 19,
  PARAMETER_INVALID_TYPE: 20,
  INSUFFICIENT_SPACE: 22,
  COMMUNICATION_ERROR: 25,
  KEEP_ALIVE_FAILURE: 26,
  INVALID_TOPIC_SYNTAX: 31,
  MESSAGE_TOO_LARGE: 32,
  CONNECTION_ERROR: 44,
  BASIC_AUTHENTICATION_IS_SHUTDOWN: 51,
  CLIENT_CERTIFICATE_AUTHENTICATION_IS_SHUTDOWN: 52,
  GM_UNAVAILABLE: 100,
  SPOOL_OVER_QUOTA: 120,
  QUEUE_SHUTDOWN: 121,
  MAX_MESSAGE_USAGE_EXCEEDED: 127,
  NO_SUBSCRIPTION_MATCH: 129,
  LOW_PRIORITY_MSG_CONGESTION: 141,
  FAILED_LOADING_TRUSTSTORE: 143,
  FAILED_LOADING_CERTIFICATE_AND_KEY: 144,
} as const;

/**
 * A session event (solclientjs `SessionEventCode`), as the publisher sees it:
 * - `up` UP_NOTICE; `connect-failed` CONNECT_FAILED_ERROR; `down` DOWN_ERROR (reconnect gave up);
 * - `reconnecting` / `reconnected` RECONNECTING_NOTICE / RECONNECTED_NOTICE; `disconnected` DISCONNECTED;
 * - `acknowledged` ACKNOWLEDGED_MESSAGE and `rejected` REJECTED_MESSAGE_ERROR, with the correlation key given to
 *   `prepare` (null for a rejected direct message);
 * - `can-accept-data` CAN_ACCEPT_DATA; `republishing` REPUBLISHING_UNACKED_MESSAGES (`count` possible duplicates);
 * - `publisher-down` GUARANTEED_MESSAGE_PUBLISHER_DOWN.
 */
export type SessionEvent =
  | { readonly type: 'up' }
  | { readonly type: 'connect-failed'; readonly subcode: number; readonly info: string }
  | { readonly type: 'down'; readonly subcode: number; readonly info: string }
  | { readonly type: 'reconnecting'; readonly info: string }
  | { readonly type: 'reconnected' }
  | { readonly type: 'disconnected' }
  | { readonly type: 'acknowledged'; readonly key: unknown }
  | {
      readonly type: 'rejected';
      readonly key: unknown;
      readonly subcode: number;
      readonly responseCode: number | undefined;
      readonly info: string;
    }
  | { readonly type: 'can-accept-data' }
  | { readonly type: 'republishing'; readonly count: number }
  | { readonly type: 'publisher-down'; readonly info: string };

/** A call that the library refused synchronously (its `OperationError`), with the subcode. */
export class OperationRefusedError extends Error {
  readonly subcode: number;

  constructor(message: string, subcode: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OperationRefusedError';
    this.subcode = subcode;
  }
}

/** A message ready for `send`, built once so that a send refused for lack of space is retried with the same one. */
export type PreparedMessage = object;

/** `PERSISTENT` (guaranteed: acknowledged once spooled) or `DIRECT` (at-most-once, no acknowledgement). */
export type DeliveryMode = 'persistent' | 'direct';

/** One session, as the publisher drives it. */
export interface SessionPort {
  /** Starts connecting; the outcome arrives as `up` or `connect-failed`. */
  connect(): void;
  /** Builds the library's message; `key` comes back in `acknowledged`/`rejected`. */
  prepare(message: OutboundMessage, key: object, mode: DeliveryMode): PreparedMessage;
  /**
   * Hands a message to the library; returns at once.
   * @throws OperationRefusedError: INSUFFICIENT_SPACE (window or transport full: wait for `can-accept-data`),
   *   MESSAGE_TOO_LARGE, GM_UNAVAILABLE, INVALID_OPERATION…
   */
  send(message: PreparedMessage): void;
  /** Starts a graceful disconnect; `disconnected` follows. */
  disconnect(): void;
  /** Releases the session; no event follows. */
  dispose(): void;
}

/** Session settings, in solclientjs's terms (`SessionProperties`, `MessagePublisherProperties`). */
export interface SessionSettings {
  readonly url: readonly string[];
  readonly vpnName: string;
  readonly userName: string;
  readonly password: Secret;
  readonly clientName: string;
  readonly authenticationScheme: 'basic' | 'client-certificate';
  readonly connectTimeoutMs: number;
  readonly connectRetries: number;
  readonly reconnectRetries: number;
  readonly reconnectRetryWaitMs: number;
  readonly keepAliveIntervalMs: number;
  readonly keepAliveIntervalsLimit: number;
  readonly sendBufferMaxBytes: number;
  readonly windowSize: number;
  readonly acknowledgeTimeoutMs: number;
  readonly guaranteed: boolean;
  readonly tls: {
    readonly validateCertificate: boolean;
    readonly trustStores: readonly string[];
    readonly trustedCommonNames: readonly string[];
    readonly certificate: string | undefined;
    readonly privateKey: string | undefined;
    readonly privateKeyPassword: Secret | undefined;
    readonly cipherSuites: string | undefined;
  };
}

/** The library: creates sessions. */
export interface SessionFactory {
  /**
   * @param onEvent receives every session event; it must not throw.
   * @throws OperationRefusedError with a PARAMETER_* subcode when the library refuses the settings.
   */
  createSession(settings: SessionSettings, onEvent: (event: SessionEvent) => void): SessionPort;
}
