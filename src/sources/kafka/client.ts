/**
 * Builds the kafkajs client from source settings: plain brokers, or the Event Hubs preset from a connection string.
 * kafkajs logs go through our logger at one level lower (its INFO is chatty), never with credentials.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rootCertificates } from 'node:tls';
import type * as KafkaJs from 'kafkajs';
import type { Kafka, KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSourceConfig } from './config.ts';
import { EVENT_HUBS_KAFKA_PORT, parseConnectionString } from './event-hubs.ts';
import { oauthBearerProvider } from './oauth.ts';
import { installRecordDecoder } from './record-decoder.ts';
import type { KafkaSignals } from './signals.ts';

/** kafkajs' `logLevel` values (its enum, without loading kafkajs to read them). */
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- the enum's own values, typed as its members */
const logLevel = {
  ERROR: 1 as KafkaJs.logLevel.ERROR,
  WARN: 2 as KafkaJs.logLevel.WARN,
  INFO: 4 as KafkaJs.logLevel.INFO,
} as const;
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** The kafkajs client for these settings; `signals` hears what kafkajs only logs. */
export function createKafka(config: KafkaSourceConfig, logger: Logger, signals?: KafkaSignals): Kafka {
  // Loaded with the first Kafka client rather than at start-up, like every client library; records are decoded
  // without 64-bit Long arithmetic where numbers fit (record-decoder.ts).
  installRecordDecoder();
  const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
  return new kafkajs.Kafka(kafkaConfig(config, logger, signals));
}

/** @internal exported for tests: the kafkajs configuration, with the Event Hubs preset applied. */
export function kafkaConfig(config: KafkaSourceConfig, logger: Logger, signals?: KafkaSignals): KafkaConfig {
  const hub =
    config.connectionString === undefined
      ? undefined
      : parseConnectionString(config.connectionString.reveal());
  const derived =
    hub?.broker ?? (config.oauth ? `${config.oauth.namespace}:${EVENT_HUBS_KAFKA_PORT}` : undefined);
  const brokers = config.brokers.length > 0 ? [...config.brokers] : derived === undefined ? [] : [derived];
  // Node's `ca` replaces the system roots: keep them, so that the file adds to them (as the docs say).
  const ca =
    config.caFile === undefined ? undefined : [...rootCertificates, readFileSync(config.caFile, 'utf8')];
  const tls = derived !== undefined || config.ssl;
  return {
    clientId: config.clientId,
    brokers,
    ...(tls ? { ssl: ca ? { ca } : true } : {}),
    ...saslOf(config),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // kafkajs retries a failed request this way before giving up; the consumer then restarts itself.
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 },
    logLevel: logLevel.INFO,
    logCreator: () => (entry) => {
      signals?.observe(entry.log.message, entry.log);
      forward(logger, entry);
    },
  };
}

function saslOf(config: KafkaSourceConfig): { sasl?: SASLOptions } {
  if (config.connectionString !== undefined) {
    return {
      sasl: { mechanism: 'plain', username: '$ConnectionString', password: config.connectionString.reveal() },
    };
  }
  if (config.oauth !== undefined) {
    return { sasl: { mechanism: 'oauthbearer', oauthBearerProvider: oauthBearerProvider(config.oauth) } };
  }
  if (config.sasl === undefined) return {};
  const { mechanism, username } = config.sasl;
  const password = config.sasl.password.reveal();
  switch (mechanism) {
    case 'plain':
      return { sasl: { mechanism, username, password } };
    case 'scram-sha-256':
      return { sasl: { mechanism, username, password } };
    case 'scram-sha-512':
      return { sasl: { mechanism, username, password } };
  }
}

/** kafkajs messages that repeat our own logs or are normal operation: kept at debug. */
const QUIET = [/switched default partitioner/];

function forward(logger: Logger, entry: LogEntry): void {
  const { message, ...fields } = entry.log;
  const extra = { lib: 'kafkajs', namespace: entry.namespace, ...fields };
  if (QUIET.some((pattern) => pattern.test(message))) {
    logger.debug(extra, message);
    return;
  }
  switch (entry.level) {
    case logLevel.ERROR:
    case logLevel.WARN:
      logger.warn(extra, message);
      return;
    case logLevel.INFO:
      logger.debug(extra, message);
      return;
    default:
      logger.trace(extra, message);
  }
}
