import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { freePorts } from '../ports.ts';
import { runGuarded } from '../process.ts';
import type { ScratchDir } from '../scratch.ts';
import { createCertificate, type BrokerCertificate } from './certificate.ts';
import { log4j2Properties, serverProperties, type BrokerPorts } from './config.ts';
import type { KafkaInstallation } from './install.ts';
import { javaTool } from './java.ts';

/** Everything on disk a broker needs before its first start, in one scratch directory. */
export interface BrokerLayout {
  readonly directory: string;
  readonly ports: BrokerPorts;
  readonly connectionString: string;
  readonly certificate: BrokerCertificate;
  readonly serverPropertiesFile: string;
  readonly log4j2File: string;
  /** stdout and stderr of the JVM, appended across restarts. */
  readonly logFile: string;
}

/**
 * Picks free ports and a random connection string, makes the certificate, writes the configuration and formats
 * the KRaft storage (`StorageTool format`, which the broker requires before its first start).
 *
 * @param overrides server.properties entries that replace or add to the defaults
 * @throws Error with the tool's output when keytool or the storage format fails
 */
export async function layOutBroker(
  installation: KafkaInstallation,
  scratch: ScratchDir,
  overrides: Readonly<Record<string, string>>,
): Promise<BrokerLayout> {
  const directory = scratch.path;
  const [plaintext = 0, controller = 0, sasl = 0] = await freePorts(3);
  const ports = { plaintext, controller, sasl };
  const connectionString =
    `Endpoint=sb://localhost:${sasl}/;SharedAccessKeyName=logbridge-test;` +
    `SharedAccessKey=${randomBytes(32).toString('base64')}`;
  const keystorePassword = randomBytes(12).toString('hex');
  const keystoreFile = `${directory}/broker.p12`;
  const serverPropertiesFile = `${directory}/server.properties`;
  const log4j2File = `${directory}/log4j2.properties`;
  const config = { ports, dataDir: `${directory}/data`, connectionString, overrides };
  await writeFile(
    serverPropertiesFile,
    serverProperties({ ...config, certificate: { keystoreFile, keystorePassword } }),
  );
  await writeFile(log4j2File, log4j2Properties);
  // Two short JVMs; in parallel they cost the time of the longer one.
  const [certificate] = await Promise.all([
    createCertificate(directory, keystorePassword),
    formatStorage(installation, serverPropertiesFile),
  ]);
  return {
    directory,
    ports,
    connectionString,
    certificate,
    serverPropertiesFile,
    log4j2File,
    logFile: `${directory}/broker.log`,
  };
}

async function formatStorage(installation: KafkaInstallation, serverPropertiesFile: string): Promise<void> {
  await runGuarded(javaTool('java'), [
    ...['-cp', installation.classpath, 'kafka.tools.StorageTool'],
    ...['format', '-t', randomClusterId(), '-c', serverPropertiesFile],
  ]);
}

/** 16 random bytes in unpadded base64url, as `StorageTool random-uuid` prints; never with a leading `-` (an option). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
