/**
 * The Event Hubs preset: a namespace connection string becomes brokers, TLS and SASL PLAIN with the user name
 * `$ConnectionString` (reference/eventhubs-kafka.md §1), plus Microsoft's recommended client settings (§2).
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** A connection string that cannot be used. The message never contains the key. */
export class ConnectionStringError extends BridgeError {
  readonly code = 'LB_EH_CONNECTION_STRING';
  readonly disposition = 'fatal';
}

/** What the preset derives from a connection string. */
export interface EventHubsEndpoint {
  /** `<namespace>.servicebus.windows.net:9093`, or the explicit port of the Endpoint. */
  readonly broker: string;
  /** The host name, for TLS SNI. */
  readonly host: string;
  readonly namespace: string;
  /** `EntityPath`, when the string is scoped to one event hub (it names the topic). */
  readonly entityPath: string | undefined;
}

/** The Kafka endpoint's port. */
export const EVENT_HUBS_KAFKA_PORT = 9093;

/**
 * Microsoft's recommended consumer settings for the Kafka endpoint (Java property → kafkajs option), and ours:
 * metadata max age 180 s (Azure closes idle connections at 240 s), request timeout 60 s (service minimum 20 s),
 * session 30 s, heartbeat 3 s (do not change), connection timeout 10 s (TLS to Azure needs more than kafkajs' 1 s),
 * per-partition fetch 1 MiB (an event can be 1 MB), no topic auto-creation.
 */
export const EVENT_HUBS_SETTINGS = {
  metadataMaxAgeMs: 180_000,
  requestTimeoutMs: 60_000,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  connectionTimeoutMs: 10_000,
  maxBytesPerPartition: 1_048_576,
} as const;

/**
 * Parses `Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=…]`.
 * An explicit port in the Endpoint (`sb://host:port/`) is kept, for emulators and private test brokers.
 * @throws ConnectionStringError naming what is missing or malformed, never echoing the key.
 */
export function parseConnectionString(connectionString: string): EventHubsEndpoint {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const endpoint = fields.get('endpoint');
  if (endpoint === undefined || endpoint === '') {
    throw new ConnectionStringError(
      'the Event Hubs connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/ part; ' +
        'copy the whole string from the namespace\'s "Shared access policies" page',
    );
  }
  for (const required of ['sharedaccesskeyname', 'sharedaccesskey']) {
    if ((fields.get(required) ?? '') === '') {
      throw new ConnectionStringError(
        `the Event Hubs connection string has no ${required === 'sharedaccesskey' ? 'SharedAccessKey' : 'SharedAccessKeyName'} part ` +
          '(SAS connection strings only; for Entra ID use kafka.sasl.mechanism=oauthbearer)',
      );
    }
  }
  const url = parseEndpoint(endpoint);
  const host = url.hostname;
  const port = url.port === '' ? EVENT_HUBS_KAFKA_PORT : Number(url.port);
  return {
    broker: `${host}:${port}`,
    host,
    namespace: host.split('.')[0] ?? host,
    entityPath: fields.get('entitypath') || undefined,
  };
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new ConnectionStringError(
      `the connection string's Endpoint "${endpoint}" is not a URL; expected sb://<namespace>.servicebus.windows.net/`,
      { cause: error },
    );
  }
  if (url.protocol !== 'sb:' || url.hostname === '') {
    throw new ConnectionStringError(
      `the connection string's Endpoint "${endpoint}" must look like sb://<namespace>.servicebus.windows.net/`,
    );
  }
  return url;
}
