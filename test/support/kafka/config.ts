import type { BrokerCertificate } from './certificate.ts';

/** The three TCP ports of a one-node KRaft broker, all on 127.0.0.1. */
export interface BrokerPorts {
  readonly plaintext: number;
  readonly controller: number;
  readonly sasl: number;
}

/** What {@link serverProperties} needs to know. */
export interface ServerConfigInput {
  readonly ports: BrokerPorts;
  readonly dataDir: string;
  /** Accepted as the PLAIN password of user `$ConnectionString` on the SASL_SSL listener. */
  readonly connectionString: string;
  readonly certificate: Pick<BrokerCertificate, 'keystoreFile' | 'keystorePassword'>;
  /** Entries that replace or add to the defaults below. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** 8 MiB: above Event Hubs' 1 MB event limit, on purpose (see `limits`). */
const maxMessageBytes = String(8 * 1024 * 1024);

/**
 * `server.properties` of a one-node KRaft broker (broker and controller in one JVM) with a PLAINTEXT listener for
 * test set-up and a SASL_SSL PLAIN listener that authenticates like the Event Hubs Kafka endpoint: user
 * `$ConnectionString`, password the whole connection string (reference/eventhubs-kafka.md §1, §8).
 */
export function serverProperties(input: ServerConfigInput): string {
  const entries = { ...kraft(input), ...listeners(input), ...singleNode, ...limits, ...input.overrides };
  return Object.entries(entries)
    .map(([key, value]) => propertyLine(key, value))
    .join('\n')
    .concat('\n');
}

function kraft({ ports, dataDir }: ServerConfigInput): Record<string, string> {
  return {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${ports.controller}`,
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': dataDir,
  };
}

function listeners({ ports, connectionString, certificate }: ServerConfigInput): Record<string, string> {
  const sasl = 'listener.name.sasl_ssl';
  return {
    listeners: [
      `PLAINTEXT://127.0.0.1:${ports.plaintext}`,
      `CONTROLLER://127.0.0.1:${ports.controller}`,
      `SASL_SSL://127.0.0.1:${ports.sasl}`,
    ].join(','),
    // SASL_SSL is advertised as localhost so that clients verify the certificate's CN/SAN by host name.
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${ports.plaintext},SASL_SSL://localhost:${ports.sasl}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name': 'PLAINTEXT',
    [`${sasl}.sasl.enabled.mechanisms`]: 'PLAIN',
    // `$` is a word character for Kafka's JAAS parser; the quoted password may hold `/`, `;` and `=`.
    [`${sasl}.plain.sasl.jaas.config`]: `org.apache.kafka.common.security.plain.PlainLoginModule required user_$ConnectionString="${connectionString}";`,
    [`${sasl}.ssl.keystore.type`]: 'PKCS12',
    [`${sasl}.ssl.keystore.location`]: certificate.keystoreFile,
    [`${sasl}.ssl.keystore.password`]: certificate.keystorePassword,
    [`${sasl}.ssl.key.password`]: certificate.keystorePassword,
  };
}

/** Internal topics with one replica (the defaults of 3 cannot be met by one node, and groups would never form). */
const singleNode = {
  'offsets.topic.replication.factor': '1',
  // A few partitions spread the coordinators of the many groups that parallel test files create.
  'offsets.topic.num.partitions': '4',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '1',
  'share.coordinator.state.topic.replication.factor': '1',
  'share.coordinator.state.topic.min.isr': '1',
  // Groups rebalance at once instead of waiting 3 s for more members: tests start consumers one by one.
  'group.initial.rebalance.delay.ms': '0',
  // After a crash (kill), the restarted broker cannot register until the controller expires its previous session:
  // 9 s by default, 4 s here. Heartbeats go over loopback inside one JVM, so a short session is safe.
  'broker.session.timeout.ms': '4000',
  'broker.heartbeat.interval.ms': '500',
} as const;

/** Event Hubs-like behaviour where it does not get in the tests' way. */
const limits = {
  // Event Hubs takes at most 1 MB per event, but tests produce multi-MB poison records to prove they are
  // dead-lettered rather than looping, so the broker takes up to 8 MiB. Pass overrides to mimic the real limit.
  'message.max.bytes': maxMessageBytes,
  'replica.fetch.max.bytes': maxMessageBytes,
  // Event Hubs closes connections idle for 240 s.
  'connections.max.idle.ms': '240000',
  // Event hubs (topics) are created in Azure, never by a producer: a test must create its topics.
  'auto.create.topics.enable': 'false',
} as const;

function propertyLine(key: string, value: string): string {
  if (/[\n\r\\]/.test(key + value))
    throw new Error(`server.properties entry ${key} has a newline or backslash`);
  return `${key}=${value}`;
}

/**
 * log4j2 configuration: everything at INFO (WARN for the chatty request logger) to stdout, which the harness sends
 * to the broker's log file.
 */
export const log4j2Properties = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.request.name = kafka.request.logger
logger.request.level = warn
`;
