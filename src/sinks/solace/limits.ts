/**
 * What solclientjs refuses in session properties, checked at configuration time so that a connector never starts
 * with settings the library throws on (`SessionPropertiesValidator` and `ClientCtrlMessage.validateClientName` of
 * solclientjs 10.18.3, executed: PARAMETER_OUT_OF_RANGE "Property 'clientName' exceeded max length 160"…). Lengths
 * are UTF-16 code units as the library counts them (`string.length`); the client name is also encoded like a topic,
 * at most 160 bytes of UTF-8, without empty levels or a reserved `#P2P/QUE/`, `#P2P/QTMP/` prefix.
 * @module
 */
import { type ConfigIssue, reveal, type Secret } from '../../config/index.ts';

/** The longest values the library accepts. */
export const SESSION_LIMITS = {
  'sol.client_name': 160,
  'sol.vpn_name': 32,
  'sol.username': 189,
  'sol.password': 128,
} as const;

/** Most trusted common names the library accepts. */
const MAX_TRUSTED_COMMON_NAMES = 16;

/** solclientjs `SessionProperties.SUPPORTED_CIPHER_SUITES` (10.18.3). */
const CIPHER_SUITES = new Set([
  'AES128-GCM-SHA256',
  'AES128-SHA',
  'AES128-SHA256',
  'AES256-GCM-SHA384',
  'AES256-SHA',
  'AES256-SHA256',
  'DES-CBC3-SHA',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-RSA-DES-CBC3-SHA',
]);

const SECURE_URL = /^(?:tcps|wss|https):\/\//i;

/** The values checked, by connector key. */
export interface SessionValues {
  readonly 'sol.host': readonly string[];
  readonly 'sol.client_name': string;
  readonly 'sol.vpn_name': string;
  readonly 'sol.username': string;
  readonly 'sol.password': string | Secret;
  readonly 'sol.ssl_trusted_common_name_list': readonly string[];
  readonly 'sol.ssl_cipher_suites': string | undefined;
  /** True for AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE. */
  readonly clientCertificate: boolean;
}

/** Every value the library would refuse, with what to change. Never quotes the password. */
export function sessionLimitIssues(values: SessionValues, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const issue = (key: string, message: string): void => {
    issues.push({ path: `${path}.${key}`, message });
  };
  for (const [key, max] of Object.entries(SESSION_LIMITS)) {
    // The password is measured, never quoted.
    const value = reveal(values[key as keyof typeof SESSION_LIMITS]);
    if (value.length > max) issue(key, `is ${value.length} characters long; Solace accepts at most ${max}`);
    else if (!value.isWellFormed()) issue(key, 'contains a lone UTF-16 surrogate');
  }
  const clientName = clientNameProblem(values['sol.client_name']);
  if (clientName !== undefined) issue('sol.client_name', clientName);
  if (values['sol.ssl_trusted_common_name_list'].length > MAX_TRUSTED_COMMON_NAMES) {
    issue('sol.ssl_trusted_common_name_list', `lists more than ${MAX_TRUSTED_COMMON_NAMES} names`);
  }
  const unknown = (values['sol.ssl_cipher_suites'] ?? '')
    .split(',')
    .map((suite) => suite.trim())
    .filter((suite) => suite !== '' && !CIPHER_SUITES.has(suite));
  if (unknown.length > 0) {
    issue(
      'sol.ssl_cipher_suites',
      `${unknown.join(', ')}: not supported by solclientjs; use ${[...CIPHER_SUITES].join(', ')}`,
    );
  }
  if (values.clientCertificate && values['sol.host'].some((url) => !SECURE_URL.test(url))) {
    issue(
      'sol.authentication_scheme',
      'client-certificate login needs every sol.host to be tcps://, wss:// or https://',
    );
  }
  return issues;
}

/** Why the library would refuse a client name (beyond its length in characters), if it would. */
function clientNameProblem(name: string): string | undefined {
  if (name === '' || !name.isWellFormed() || name.length > SESSION_LIMITS['sol.client_name'])
    return undefined;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > SESSION_LIMITS['sol.client_name']) {
    return `is ${bytes} bytes of UTF-8; Solace accepts at most ${SESSION_LIMITS['sol.client_name']}`;
  }
  if (name.split('/').includes('')) return 'has an empty level (a leading, trailing or double /)';
  if (/^#P2P\/(?:QUE|QTMP)\//.test(name)) return 'starts with a reserved prefix (#P2P/QUE/, #P2P/QTMP/)';
  return undefined;
}
