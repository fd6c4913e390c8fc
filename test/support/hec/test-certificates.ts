/**
 * Throw-away TLS material for HTTPS tests: a CA and a server certificate it signs, made with the `openssl` CLI
 * (node:crypto cannot issue X.509 certificates). Files and PEM strings are both returned, for CA-file options.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material and the files holding it. */
export interface TestCertificates {
  /** Folder holding the files. */
  readonly dir: string;
  /** The CA certificate (PEM) that signed `cert`; trust it in clients. */
  readonly ca: string;
  readonly caFile: string;
  /** Server certificate (PEM) with the requested names as subjectAltName. */
  readonly cert: string;
  readonly certFile: string;
  /** Server private key (PEM, unencrypted). */
  readonly key: string;
  readonly keyFile: string;
}

/** Options of {@link createTestCertificates}. */
export interface TestCertificateOptions {
  /** subjectAltName entries. @default ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'] */
  readonly names?: readonly string[];
  /** Where to write; a fresh temporary folder by default. */
  readonly dir?: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates a CA and a server certificate valid for two days. Throws if `openssl` is missing or fails. */
export function createTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hec-tls-'));
  const names = options.names ?? ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
  const ca = ['-subj', '/CN=logbridge test CA', '-days', '2'];
  openssl(
    [
      'req',
      '-x509',
      '-new',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      ...ca,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(
    ['req', '-new', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  const file = (name: string): string => join(dir, name);
  return {
    dir,
    ca: readFileSync(file('ca.crt'), 'utf8'),
    caFile: file('ca.crt'),
    cert: readFileSync(file('server.crt'), 'utf8'),
    certFile: file('server.crt'),
    key: readFileSync(file('server.key'), 'utf8'),
    keyFile: file('server.key'),
  };
}
