import { logLevel, type KafkaConfig } from 'kafkajs';
import type { KafkaCoordinates, SaslListener } from './coordinates.ts';

/** Settings shared by every harness client: quiet (tests assert on outcomes, not on kafkajs' log lines). */
const harnessDefaults = { clientId: 'logbridge-test-harness', logLevel: logLevel.NOTHING } as const;

/**
 * kafkajs config for the PLAINTEXT listener, the one test set-up uses.
 *
 * @param overrides merged over the defaults (clientId `logbridge-test-harness`, logging off)
 */
export function plaintextConfig(
  broker: Pick<KafkaCoordinates, 'bootstrap'>,
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  return { ...harnessDefaults, brokers: [broker.bootstrap], ...overrides };
}

/**
 * The SASL_SSL listener's coordinates.
 *
 * @throws Error saying which environment variables to set, when the run uses an external broker without them
 */
export function requireSasl(broker: KafkaCoordinates): SaslListener {
  const { saslBootstrap, connectionString, caPem } = broker;
  if (saslBootstrap === undefined || connectionString === undefined) {
    throw new Error(
      `this test needs the Event Hubs-like SASL_SSL listener, but KAFKA_BOOTSTRAP=${broker.bootstrap} was given ` +
        'without one: also set KAFKA_SASL_BOOTSTRAP and KAFKA_CONNECTION_STRING (and KAFKA_CA_FILE for a ' +
        'private CA), or unset KAFKA_BOOTSTRAP to let the tests start their own broker.',
    );
  }
  return { saslBootstrap, connectionString, caPem };
}

/**
 * kafkajs config for the SASL_SSL listener, authenticating the Event Hubs way: user `$ConnectionString`, password
 * the connection string (reference/eventhubs-kafka.md §1). Trusts the broker's CA when it has a private one.
 *
 * @param options.password replaces the connection string as password (to prove a wrong one is refused)
 * @param options.overrides merged over the result
 * @throws Error from {@link requireSasl} when the listener is not available
 */
export function saslConfig(
  broker: KafkaCoordinates,
  options: { readonly password?: string; readonly overrides?: Partial<KafkaConfig> } = {},
): KafkaConfig {
  const listener = requireSasl(broker);
  const servername = listener.saslBootstrap.replace(/:\d+$/, '');
  return {
    ...harnessDefaults,
    brokers: [listener.saslBootstrap],
    ssl: listener.caPem === undefined ? true : { ca: [listener.caPem], servername },
    sasl: {
      mechanism: 'plain',
      username: '$ConnectionString',
      password: options.password ?? listener.connectionString,
    },
    ...options.overrides,
  };
}
