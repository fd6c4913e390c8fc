import { readFile } from 'node:fs/promises';
import type { KafkaCoordinates } from './coordinates.ts';

/**
 * Coordinates of an existing broker named by the environment, or undefined when `KAFKA_BOOTSTRAP` is not set.
 *
 * - `KAFKA_BOOTSTRAP`: PLAINTEXT `host:port` (required to use an external broker)
 * - `KAFKA_SASL_BOOTSTRAP`, `KAFKA_CONNECTION_STRING`: its SASL_SSL PLAIN listener and the password of user
 *   `$ConnectionString`; both or neither (tests that need them fail, saying to set them)
 * - `KAFKA_CA_FILE`: PEM of the CA that signed the SASL_SSL certificate, when not a public one
 *
 * @throws Error naming the missing or unreadable variable when they are inconsistent
 */
export async function externalKafkaFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Promise<KafkaCoordinates | undefined> {
  const bootstrap = env['KAFKA_BOOTSTRAP'];
  if (bootstrap === undefined || bootstrap === '') return undefined;
  const saslBootstrap = nonEmpty(env['KAFKA_SASL_BOOTSTRAP']);
  const connectionString = nonEmpty(env['KAFKA_CONNECTION_STRING']);
  if ((saslBootstrap === undefined) !== (connectionString === undefined)) {
    throw new Error('set both KAFKA_SASL_BOOTSTRAP and KAFKA_CONNECTION_STRING, or neither');
  }
  const caFile = nonEmpty(env['KAFKA_CA_FILE']);
  const caPem = caFile === undefined ? undefined : await readCa(caFile);
  return {
    version: undefined,
    external: true,
    bootstrap,
    saslBootstrap,
    connectionString,
    caFile,
    caPem,
    logFile: undefined,
  };
}

/**
 * An external broker as a peer that refuses to be stopped, started or killed: the tests did not start it.
 * Fault tests need the local broker.
 */
export class ExternalKafka {
  readonly #coordinates: KafkaCoordinates;

  constructor(coordinates: KafkaCoordinates) {
    this.#coordinates = coordinates;
  }

  coordinates(): KafkaCoordinates {
    return this.#coordinates;
  }

  /** @throws Error always */
  start(): Promise<void> {
    return this.#refuse('start');
  }

  /** @throws Error always */
  stop(): Promise<void> {
    return this.#refuse('stop');
  }

  /** @throws Error always */
  kill(): Promise<void> {
    return this.#refuse('kill');
  }

  /** Nothing to release. */
  async dispose(): Promise<void> {
    // The broker belongs to whoever runs it.
  }

  #refuse(action: string): Promise<never> {
    return Promise.reject(
      new Error(
        `cannot ${action} the external Kafka broker KAFKA_BOOTSTRAP=${this.#coordinates.bootstrap}: ` +
          'fault tests need the local broker; unset KAFKA_BOOTSTRAP to let the tests start one.',
      ),
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

async function readCa(caFile: string): Promise<string> {
  try {
    return await readFile(caFile, 'utf8');
  } catch (error) {
    throw new Error(`KAFKA_CA_FILE=${caFile} cannot be read`, { cause: error });
  }
}
