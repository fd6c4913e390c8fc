/**
 * The Event Hubs AMQP test peer (README.md beside this file): {@link startEventHubsPeer} starts one in this process
 * on a free port behind a throw-away CA, and says how the SDK and logbridge reach it.
 */
import { randomBytes } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { createTestCertificates } from '../hec/test-certificates.ts';
import { createScratchDir } from '../scratch.ts';
import type { EventHub } from './log.ts';
import type { SasPolicy } from './sas.ts';
import { EventHubsServer } from './server.ts';

export { EventHubsServer } from './server.ts';
export { EventHub, PartitionLog, type StoredEvent } from './log.ts';
export { createSasToken, type SasPolicy } from './sas.ts';

/** A running peer and what clients need to reach it. */
export interface EventHubsPeer {
  readonly server: EventHubsServer;
  /** The namespace host name in connection strings (`<name>.servicebus.windows.net`); never resolved. */
  readonly host: string;
  readonly port: number;
  /** What the SDK's `customEndpointAddress` (and logbridge's `eventhubs.endpoint.address`) takes. */
  readonly endpoint: string;
  /** The same for AMQP over WebSockets (`eventhubs.transport=websockets`; the SDK's `webSocketOptions`). */
  readonly webSocketEndpoint: string;
  /** The policy with Listen, Send and Manage. */
  readonly policy: SasPolicy;
  /** PEM of the CA that signed the listener's certificate, and its file. */
  readonly caPem: string;
  readonly caFile: string;
  /** `Endpoint=sb://<host>/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=<hub>]`. */
  connectionString(eventHub?: string, policy?: Pick<SasPolicy, 'name' | 'key'>): string;
  /** Creates an event hub and the given consumer groups (`$Default` exists always). */
  createEventHub(
    name: string,
    options: { readonly partitions: number; readonly consumerGroups?: readonly string[] },
  ): EventHub;
  /** Stops it and removes its files. */
  close(): Promise<void>;
}

/** Options of {@link startEventHubsPeer}. */
export interface StartEventHubsPeerOptions {
  /** Port to listen on; default any free one. */
  readonly port?: number;
  /** Extra SAS policies, e.g. one with Listen only. */
  readonly policies?: readonly SasPolicy[];
  /** Namespace name; default `logbridge-test`. */
  readonly namespace?: string;
}

/** Starts a peer in this process. */
export async function startEventHubsPeer(options: StartEventHubsPeerOptions = {}): Promise<EventHubsPeer> {
  const scratch = await createScratchDir('eventhubs');
  const tls = createTestCertificates({ dir: scratch.path });
  const host = `${options.namespace ?? 'logbridge-test'}.servicebus.windows.net`;
  const policy: SasPolicy = {
    name: 'logbridge-test',
    key: randomBytes(32).toString('base64'),
    rights: ['Listen', 'Send', 'Manage'],
  };
  const server = new EventHubsServer({
    host,
    policies: [policy, ...(options.policies ?? [])],
    key: tls.key,
    cert: tls.cert,
  });
  const port = await server.listen(options.port ?? 0);
  const webSocketPort = await server.listenWebSockets(0);
  return {
    server,
    host,
    port,
    endpoint: `amqps://localhost:${port}`,
    webSocketEndpoint: `amqps://localhost:${webSocketPort}`,
    policy,
    caPem: tls.ca,
    caFile: tls.caFile,
    connectionString(eventHub, keyed = policy) {
      const entity = eventHub === undefined ? '' : `;EntityPath=${eventHub}`;
      return `Endpoint=sb://${host}/;SharedAccessKeyName=${keyed.name};SharedAccessKey=${keyed.key}${entity}`;
    },
    createEventHub(name, hubOptions) {
      const hub = server.createEventHub(name, hubOptions.partitions);
      for (const group of hubOptions.consumerGroups ?? []) hub.consumerGroups.add(group.toLowerCase());
      return hub;
    },
    async close() {
      await server.close();
      await scratch.remove();
    },
  };
}

/**
 * Makes this process trust `caPem` for TLS connections that name no CA of their own, as the SDK's do (Node's
 * `tls.setDefaultCACertificates`; `NODE_EXTRA_CA_CERTS` does the same for a process at start).
 */
export function trustCertificate(caPem: string): void {
  const current = getCACertificates('default');
  if (!current.includes(caPem)) setDefaultCACertificates([...current, caPem]);
}

/** How fast a test connector balances partitions: tests cannot wait the SDK's 10 s claims and 60 s expiry. */
export interface PeerBalancing {
  readonly updateIntervalMs: number;
  readonly ownershipExpiryMs: number;
}

/**
 * The source keys of a logbridge connector reading `hub` on `peer` with `connectionString` (a value or a
 * `${env:…}` reference); callers add the checkpoint store, the sinks and their own overrides.
 */
export function peerSourceConfig(
  peer: Pick<EventHubsPeer, 'endpoint' | 'caFile'>,
  hub: string,
  connectionString: string,
  balancing: PeerBalancing,
): Record<string, string> {
  return {
    'source.type': 'eventhubs',
    topics: hub,
    'eventhubs.connection.string': connectionString,
    'eventhubs.endpoint.address': peer.endpoint,
    'eventhubs.ssl.ca.location': peer.caFile,
    'eventhubs.load.balancing.update.interval.ms': String(balancing.updateIntervalMs),
    'eventhubs.load.balancing.ownership.expiry.ms': String(balancing.ownershipExpiryMs),
    'eventhubs.max.wait.time.seconds': '1',
  };
}
