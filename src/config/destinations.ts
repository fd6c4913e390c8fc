/**
 * Destinations: the hosts an option sends data or credentials to (HEC and broker URLs, `host:port` lists, an Event
 * Hubs namespace, a connection string's `Endpoint=sb://…`), and the rules of `rest.connectors.allowed.hosts`.
 * @module
 */
import type { Destination } from './schema.ts';

/** `scheme://user:password@host…`: user information before the host. */
const USER_INFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/**
 * @returns why these URLs are refused (one carries a user name or password), or undefined. The URL is not quoted:
 * it would show the password.
 */
export function credentialsProblem(urls: readonly string[], credentialsIn: string): string | undefined {
  if (!urls.some((url) => USER_INFO.test(url.trim()))) return undefined;
  return `must not carry a user name or password (user:password@host), which would show wherever the URL does: ${credentialsIn}`;
}

/**
 * The host names a value names, lower-case, IPv6 without brackets; entries that are not understood are left out
 * (validation reports them).
 */
export function hostsOf(destination: Destination, value: string): string[] {
  const items =
    destination.kind === 'connection-string'
      ? [endpointOf(value, 'Endpoint')]
      : destination.kind === 'storage-connection-string'
        ? [blobEndpointOf(value)]
        : value.split(',');
  return items
    .map((item) => (item === undefined ? undefined : hostOf(destination.kind, item.trim())))
    .filter((host): host is string => host !== undefined && host !== '');
}

function endpointOf(connectionString: string, name: string): string | undefined {
  return new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;]+)`, 'i').exec(connectionString)?.[1]?.trim();
}

/**
 * The Blob service of an Azure Storage connection string: `BlobEndpoint=`, else
 * `https://<AccountName>.blob.<EndpointSuffix>` (suffix `core.windows.net` by default), or Azurite's
 * `UseDevelopmentStorage=true` (127.0.0.1).
 */
function blobEndpointOf(connectionString: string): string | undefined {
  const explicit = endpointOf(connectionString, 'BlobEndpoint');
  if (explicit !== undefined) return explicit;
  if (/(?:^|;)\s*UseDevelopmentStorage\s*=\s*true/i.test(connectionString)) return 'http://127.0.0.1';
  const account = endpointOf(connectionString, 'AccountName');
  if (account === undefined) return undefined;
  const suffix = endpointOf(connectionString, 'EndpointSuffix') ?? 'core.windows.net';
  return `https://${account}.blob.${suffix}`;
}

function hostOf(kind: Destination['kind'], item: string): string | undefined {
  if (kind === 'host') return normalise(item);
  if (kind === 'host-port') {
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(item);
    return normalise(bracketed?.[1] ?? item.replace(/:\d+$/, ''));
  }
  try {
    return normalise(new URL(item).hostname);
  } catch {
    return undefined;
  }
}

function normalise(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** A compiled `rest.connectors.allowed.hosts`: exact names, `*.suffix` wildcards, or `*` for any host. */
export interface HostRules {
  readonly any: boolean;
  allows(host: string): boolean;
}

/** Compiles allowed-host entries (`hec.acme.internal`, `*.servicebus.windows.net`, `*`). */
export function hostRules(entries: readonly string[]): HostRules {
  const cleaned = entries.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  const any = cleaned.includes('*');
  const exact = new Set(cleaned.filter((entry) => !entry.startsWith('*.')).map(normalise));
  const suffixes = cleaned.filter((entry) => entry.startsWith('*.')).map((entry) => entry.slice(1));
  return {
    any,
    allows: (host) => any || exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix)),
  };
}
