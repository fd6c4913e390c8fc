/**
 * kafkajs failures classified once: what to retry and what an operator must fix.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** The brokers refused our credentials. */
export class KafkaAuthenticationError extends BridgeError {
  readonly code = 'LB_KAFKA_AUTH';
  readonly disposition = 'fatal';
}

/** The principal may not read the topic or use the group (Event Hubs: wrong policy, or Basic tier). */
export class KafkaAuthorizationError extends BridgeError {
  readonly code = 'LB_KAFKA_AUTHORIZATION';
  readonly disposition = 'fatal';
}

/** A topic (event hub) does not exist. */
export class KafkaUnknownTopicError extends BridgeError {
  readonly code = 'LB_KAFKA_UNKNOWN_TOPIC';
  readonly disposition = 'fatal';
}

/** The brokers' certificate is not trusted (or does not name the host): a configuration problem, not retried. */
export class KafkaTlsError extends BridgeError {
  readonly code = 'LB_KAFKA_TLS';
  readonly disposition = 'fatal';
}

/** A transient Kafka failure (network, rebalance, leader change, throttling). */
export class KafkaTransientError extends BridgeError {
  readonly code = 'LB_KAFKA_TRANSIENT';
  readonly disposition = 'retry';
}

interface KafkaJsLikeError {
  readonly name?: string;
  readonly type?: string;
  readonly code?: string;
  readonly message?: string;
  readonly retriable?: boolean;
}

/** Node's TLS verification failures (OpenSSL codes and Node's host name check). */
const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const AUTHORIZATION_TYPES = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
]);

/**
 * Maps a kafkajs error to a BridgeError with a message that says what to fix.
 * @param what the operation, e.g. `commit offsets` or `write to the dead-letter topic logs-dlq`.
 */
export function classifyKafkaError(error: unknown, what: string): BridgeError {
  const top = (typeof error === 'object' && error !== null ? error : {}) as KafkaJsLikeError;
  const detail = top.message ?? String(error);
  // kafkajs wraps the error that says what happened (retries exceeded → connection error → TLS code).
  const e = causes(error).find((c) => c.code !== undefined && TLS_VERIFY_CODES.has(c.code)) ?? top;
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return new KafkaAuthenticationError(
      `${what}: the brokers refused the credentials (${detail}); check eventhubs.connection.string ` +
        '(the whole namespace or event hub SAS string) or the kafka.sasl.* settings',
      { cause: error },
    );
  }
  if (e.code !== undefined && TLS_VERIFY_CODES.has(e.code)) {
    return new KafkaTlsError(
      `${what}: the broker's TLS certificate is not trusted (${e.code}); set kafka.ssl.ca.location to the CA ` +
        "that signed it (PEM), and check that the certificate names the broker's host",
      { cause: error },
    );
  }
  if (e.type !== undefined && AUTHORIZATION_TYPES.has(e.type)) {
    return new KafkaAuthorizationError(
      `${what}: not authorized (${e.type}); the SAS policy needs Listen (and Send for a dead-letter topic), ` +
        'and Event Hubs Basic tier has no Kafka endpoint',
      { cause: error },
    );
  }
  if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' && e.retriable === false) {
    return new KafkaUnknownTopicError(`${what}: the topic (event hub) does not exist; create it first`, {
      cause: error,
    });
  }
  return new KafkaTransientError(`${what}: ${detail}`, { cause: error });
}

function causes(error: unknown): KafkaJsLikeError[] {
  const chain: KafkaJsLikeError[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 5) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
