import { readFile } from 'node:fs/promises';
import { runGuarded } from '../process.ts';
import { javaTool } from './java.ts';

/** The broker's self-signed TLS identity, for `CN=localhost` (SAN `localhost`, `127.0.0.1`). */
export interface BrokerCertificate {
  /** PKCS12 keystore holding the key and certificate. */
  readonly keystoreFile: string;
  /** Password of the keystore and of the key in it. */
  readonly keystorePassword: string;
  /** The certificate alone, PEM: what clients trust (`ssl.ca`). */
  readonly caFile: string;
  readonly caPem: string;
}

/**
 * Makes a self-signed certificate with keytool, the way Kafka's security docs do, valid for ten years.
 *
 * @param dir where `broker.p12` and `ca.pem` are written
 * @param keystorePassword password of the keystore and of the key
 * @throws Error with keytool's output when keytool fails or is missing
 */
export async function createCertificate(dir: string, keystorePassword: string): Promise<BrokerCertificate> {
  const keytool = javaTool('keytool');
  const keystoreFile = `${dir}/broker.p12`;
  const caFile = `${dir}/ca.pem`;
  const store = ['-alias', 'broker', '-keystore', keystoreFile, '-storepass', keystorePassword];
  await runGuarded(keytool, [
    ...['-genkeypair', ...store, '-keypass', keystorePassword, '-storetype', 'PKCS12', '-noprompt'],
    ...['-keyalg', 'RSA', '-keysize', '2048', '-validity', '3650', '-dname', 'CN=localhost'],
    ...['-ext', 'SAN=DNS:localhost,IP:127.0.0.1'],
  ]);
  await runGuarded(keytool, ['-exportcert', '-rfc', ...store, '-file', caFile]);
  return { keystoreFile, keystorePassword, caFile, caPem: await readFile(caFile, 'utf8') };
}
