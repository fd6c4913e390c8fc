/**
 * The SDK's clients for one connector, loaded only when a connector uses this source (importing `@azure/event-hubs`
 * and the Blob store costs memory a kafka connector must not pay; `@azure/identity`, about 40 MiB of RSS, only with
 * Entra ID).
 * @module
 */
import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import type { CheckpointStore, EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import type { EventHubsSourceConfig } from './config.ts';

/** The SDK's client options logbridge sets. */
function clientOptions(config: EventHubsSourceConfig): Record<string, unknown> {
  return {
    ...(config.endpointAddress === undefined ? {} : { customEndpointAddress: config.endpointAddress }),
    // core-amqp connects to wss://<host>:<port, default 443>/$servicebus/websocket with subprotocol AMQPWSB10
    // through the given constructor; Node's own WebSocket (undici) has the API rhea's wrapper uses.
    ...(config.transport === 'websockets' ? { webSocketOptions: { webSocket: globalThis.WebSocket } } : {}),
    loadBalancingOptions: {
      strategy: config.loadBalancing.strategy,
      updateIntervalInMs: config.loadBalancing.updateIntervalMs,
      partitionOwnershipExpirationIntervalInMs: config.loadBalancing.ownershipExpiryMs,
    },
    // The SDK's default is a fixed 30 s between tries; shorter tries recover a dropped connection sooner.
    retryOptions: { maxRetries: 5, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000, mode: 0 }, // exponential
  };
}

/**
 * Adds the CAs of `caFile` to the process's default trust store: the SDK passes no CA to `tls.connect`
 * (test/support/eventhubs/README.md § How a client reaches it). It only adds: system CAs stay trusted.
 */
export function trustCaFile(caFile: string | undefined): void {
  if (caFile === undefined) return;
  const pem = readFileSync(caFile, 'utf8');
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const current = getCACertificates('default');
  const added = certificates.filter((c) => !current.includes(c));
  if (added.length > 0) setDefaultCACertificates([...current, ...added]);
}

/** Whether the connection string names an event hub itself (`EntityPath=`). */
function hasEntityPath(connectionString: string): boolean {
  return /(^|;)\s*EntityPath\s*=/i.test(connectionString);
}

async function credentialFor(oauth: NonNullable<EventHubsSourceConfig['oauth']>): Promise<unknown> {
  const identity = await import('@azure/identity');
  return oauth.clientId === undefined
    ? new identity.DefaultAzureCredential()
    : new identity.DefaultAzureCredential({ managedIdentityClientId: oauth.clientId });
}

/** A consumer client on the connector's event hub and group, balanced through `store`. */
export async function createConsumer(
  config: EventHubsSourceConfig,
  store: CheckpointStore,
): Promise<EventHubConsumerClient> {
  const sdk = await import('@azure/event-hubs');
  trustCaFile(config.caFile);
  const options = clientOptions(config);
  const connectionString = config.connectionString?.reveal();
  if (connectionString !== undefined) {
    return hasEntityPath(connectionString)
      ? new sdk.EventHubConsumerClient(config.groupId, connectionString, store, options)
      : new sdk.EventHubConsumerClient(config.groupId, connectionString, config.eventHub, store, options);
  }
  if (config.oauth === undefined) throw new Error('eventhubs: no connection string and no namespace');
  const credential = (await credentialFor(config.oauth)) as ConstructorParameters<
    typeof sdk.EventHubConsumerClient
  >[3];
  return new sdk.EventHubConsumerClient(
    config.groupId,
    config.oauth.namespace,
    config.eventHub,
    credential,
    store,
    options,
  );
}

/** A producer client on `eventHub` of the connector's namespace (dead letters). */
export async function createProducer(
  config: EventHubsSourceConfig,
  eventHub: string,
): Promise<EventHubProducerClient> {
  const sdk = await import('@azure/event-hubs');
  trustCaFile(config.caFile);
  const options = clientOptions(config);
  if (config.connectionString !== undefined) {
    const withoutEntity = config.connectionString.reveal().replace(/;?\s*EntityPath\s*=[^;]*/i, '');
    return new sdk.EventHubProducerClient(withoutEntity, eventHub, options);
  }
  if (config.oauth === undefined) throw new Error('eventhubs: no connection string and no namespace');
  const credential = (await credentialFor(config.oauth)) as ConstructorParameters<
    typeof sdk.EventHubProducerClient
  >[2];
  return new sdk.EventHubProducerClient(config.oauth.namespace, eventHub, credential, options);
}
