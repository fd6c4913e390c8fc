/**
 * A protocol-faithful Event Hubs AMQP endpoint on rhea, for tests and the lab (README.md beside this file): AMQP 1.0
 * over TLS, SASL ANONYMOUS, CBS `put-token` with SAS checks, `$management` READ, producers to `<hub>` or
 * `<hub>/Partitions/<n>` (single messages and batches), partition receivers with selector filters, link credit and
 * epochs, and fault hooks (drop every connection, stall deliveries, expire events).
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import rhea, {
  type Source,
  type TerminusOptions,
  type Connection,
  type Container,
  type EventContext,
  type Message,
  type Receiver,
  type Sender,
} from 'rhea';
import { WebSocketServer } from 'ws';
import { ConnectionClaims } from './cbs.ts';
import { ingest } from './ingest.ts';
import { EventHub } from './log.ts';
import { managementReply } from './management.ts';
import { PartitionReceiver, ReceiverRegistry } from './receivers.ts';
import { firstSequenceNumber, parseSelector } from './filter.ts';
import type { SasPolicy } from './sas.ts';

/** Options of {@link EventHubsServer}. */
export interface EventHubsServerOptions {
  /** The namespace's host name, as the connection string names it (never resolved: clients use the custom endpoint). */
  readonly host: string;
  readonly policies: readonly SasPolicy[];
  /** PEM key and certificate of the TLS listener. */
  readonly key: string;
  readonly cert: string;
  /** Largest message a producer may send, bytes (Event Hubs Standard: 1 MB). */
  readonly maxMessageBytes?: number;
}

interface ConnectionState {
  readonly claims: ConnectionClaims;
  readonly replyLinks: Map<string, Sender>;
}

/** The AMQP side of the peer. */
export class EventHubsServer {
  readonly #options: EventHubsServerOptions;
  readonly #container: Container;
  readonly #hubs = new Map<string, EventHub>();
  readonly #receivers = new ReceiverRegistry();
  readonly #connections = new Map<Connection, ConnectionState>();
  readonly #receiverKeys = new Map<Sender, { key: string; receiver: PartitionReceiver }>();
  #listener: ReturnType<Container['listen']> | undefined;
  #webSockets: { https: HttpsServer; ws: WebSocketServer } | undefined;
  /** AMQP connections that came over WebSockets. */
  webSocketConnections = 0;
  #stalled = false;
  #tokenCheck: NodeJS.Timeout | undefined;

  constructor(options: EventHubsServerOptions) {
    this.#options = options;
    this.#container = rhea.create_container({ id: 'eventhubs-peer' });
    (this.#container.sasl_server_mechanisms as { enable_anonymous(): void }).enable_anonymous();
    this.#wire();
  }

  /** Listens on 127.0.0.1:`port` (0: any free port); resolves with the port. */
  async listen(port: number): Promise<number> {
    const listener = this.#container.listen({
      host: '127.0.0.1',
      port,
      transport: 'tls',
      key: this.#options.key,
      cert: this.#options.cert,
    });
    this.#listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.once('listening', resolve);
      listener.once('error', reject);
    });
    this.#tokenCheck = setInterval(() => {
      this.#closeLinksWithExpiredTokens();
    }, 1000);
    this.#tokenCheck.unref();
    const address = listener.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /**
   * Also listens for AMQP over WebSockets on 127.0.0.1:`port` (0: any free one), as Event Hubs does on 443: TLS with
   * the same certificate, path `/$servicebus/websocket`, subprotocol `AMQPWSB10`; resolves with the port.
   */
  async listenWebSockets(port: number): Promise<number> {
    const https = createHttpsServer({ key: this.#options.key, cert: this.#options.cert });
    const ws = new WebSocketServer({
      server: https,
      path: '/$servicebus/websocket',
      handleProtocols: (protocols) => (protocols.has('AMQPWSB10') ? 'AMQPWSB10' : false),
    });
    ws.on('connection', (socket) => {
      this.webSocketConnections += 1;
      // rhea wraps any socket with the WebSocket API (send, close, onmessage…); `ws` gives that API.
      this.#container.websocket_accept(socket as unknown as Parameters<Container['websocket_accept']>[0], {});
    });
    this.#webSockets = { https, ws };
    await new Promise<void>((resolve, reject) => {
      https.once('error', reject);
      https.listen(port, '127.0.0.1', resolve);
    });
    const address = https.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /** Stops listening and drops every connection; the hubs and their events stay. */
  async close(): Promise<void> {
    clearInterval(this.#tokenCheck);
    this.dropConnections();
    const webSockets = this.#webSockets;
    this.#webSockets = undefined;
    if (webSockets !== undefined) {
      for (const client of webSockets.ws.clients) client.terminate();
      webSockets.ws.close();
      webSockets.https.closeAllConnections();
      await new Promise<void>((resolve) => {
        webSockets.https.close(() => {
          resolve();
        });
      });
    }
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener !== undefined) {
      await new Promise<void>((resolve) => {
        listener.close(() => {
          resolve();
        });
      });
    }
  }

  /** Creates an event hub with `partitions` partitions (and `$Default`). */
  createEventHub(name: string, partitions: number): EventHub {
    const hub = new EventHub(name, partitions);
    this.#hubs.set(name.toLowerCase(), hub);
    return hub;
  }

  hub(name: string): EventHub | undefined {
    return this.#hubs.get(name.toLowerCase());
  }

  /** Fault: destroys every client socket at once, as a network cut does (no AMQP close). */
  dropConnections(): void {
    for (const connection of this.#connections.keys()) {
      (connection as unknown as { socket?: Partial<TLSSocket> }).socket?.destroy?.();
    }
    for (const client of this.#webSockets?.ws.clients ?? []) client.terminate();
  }

  /** Fault: while stalled, receivers get nothing (connections and credit stay); resuming sends what is due. */
  stall(stalled: boolean): void {
    this.#stalled = stalled;
    if (!stalled) for (const receiver of this.#receivers.all()) receiver.pump();
  }

  /** Receivers attached to a partition of a consumer group. */
  receiverCount(hub: string, group: string, partition: string): number {
    return this.#receivers.count(`${hub}/${group}/${partition}`.toLowerCase());
  }

  #wire(): void {
    const c = this.#container;
    c.on('connection_open', (context: EventContext) => {
      this.#connections.set(context.connection, { claims: new ConnectionClaims(), replyLinks: new Map() });
    });
    const forget = (context: EventContext): void => {
      this.#forgetConnection(context.connection);
    };
    c.on('connection_close', forget);
    c.on('disconnected', forget);
    c.on('sender_open', (context: EventContext) => {
      if (context.sender !== undefined) this.#senderOpened(context.connection, context.sender);
    });
    c.on('receiver_open', (context: EventContext) => {
      if (context.receiver !== undefined) this.#receiverOpened(context.connection, context.receiver);
    });
    c.on('sendable', (context: EventContext) => {
      if (context.sender !== undefined) this.#receiverKeys.get(context.sender)?.receiver.pump();
    });
    const detached = (context: EventContext): void => {
      const sender = context.sender;
      const entry = sender === undefined ? undefined : this.#receiverKeys.get(sender);
      if (sender === undefined || entry === undefined) return;
      this.#receiverKeys.delete(sender);
      this.#receivers.remove(entry.key, entry.receiver);
    };
    c.on('sender_close', detached);
    c.on('sender_error', detached);
    c.on('message', (context: EventContext) => {
      this.#message(context);
    });
    c.on('error', () => undefined);
  }

  #forgetConnection(connection: Connection): void {
    this.#connections.delete(connection);
    for (const [sender, entry] of this.#receiverKeys) {
      if (sender.connection !== connection) continue;
      this.#receiverKeys.delete(sender);
      this.#receivers.remove(entry.key, entry.receiver);
    }
  }

  /** A client attached a receiver: a CBS/management reply link, or a partition receiver. */
  #senderOpened(connection: Connection, link: Sender): void {
    const remote = (
      link as unknown as {
        remote: {
          attach: {
            source?: { address?: string; filter?: Record<string, unknown> };
            target?: unknown;
            properties?: Record<string, unknown>;
          };
        };
      }
    ).remote.attach;
    const address = remote.source?.address ?? '';
    link.set_source((remote.source ?? {}) as Source);
    link.set_target((remote.target ?? {}) as TerminusOptions);
    const state = this.#connections.get(connection);
    if (state === undefined) return;
    if (address === '$cbs' || address === '$management') {
      state.replyLinks.set(link.name, link);
      return;
    }
    const match = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i.exec(address);
    if (match === null) {
      link.close({ condition: 'amqp:not-found', description: `no such entity: ${address}` });
      return;
    }
    const [, hubName = '', group = '', partitionId = ''] = match;
    const refusal = this.#partitionRefusal(state, { hubName, group, partitionId });
    if (refusal !== undefined) {
      link.close(refusal);
      return;
    }
    const log = this.hub(hubName)?.partition(partitionId);
    if (log === undefined) return;
    let from: number;
    try {
      const selector = remote.source?.filter?.['apache.org:selector-filter:string'];
      from = firstSequenceNumber(log, parseSelector(selectorText(selector)));
    } catch (error) {
      link.close({ condition: 'amqp:invalid-field', description: (error as Error).message });
      return;
    }
    const key = `${hubName}/${group}/${partitionId}`.toLowerCase();
    const epochValue = remote.properties?.['com.microsoft:epoch'];
    const epoch = epochValue === undefined ? undefined : Number(epochValue);
    const epochRefusal = this.#receivers.admit(key, epoch);
    if (epochRefusal !== undefined) {
      link.close(epochRefusal);
      return;
    }
    const receiver = new PartitionReceiver(link, log, from, { epoch, stalled: () => this.#stalled });
    this.#receivers.add(key, receiver);
    this.#receiverKeys.set(link, { key, receiver });
  }

  #partitionRefusal(
    state: ConnectionState,
    target: { hubName: string; group: string; partitionId: string },
  ): { condition: string; description: string } | undefined {
    const { host } = this.#options;
    const hub = this.hub(target.hubName);
    const entity = `${host}/${target.hubName}`;
    if (hub === undefined) {
      return {
        condition: 'amqp:not-found',
        description: `The messaging entity 'sb://${entity}' could not be found.`,
      };
    }
    if (!hub.hasConsumerGroup(target.group)) {
      return {
        condition: 'amqp:not-found',
        description: `The messaging entity 'sb://${entity}/consumergroups/${target.group}' could not be found.`,
      };
    }
    if (hub.partition(target.partitionId) === undefined) {
      return { condition: 'amqp:not-found', description: `partition ${target.partitionId} does not exist` };
    }
    const why = state.claims.refusal(
      `${entity}/ConsumerGroups/${target.group}/Partitions/${target.partitionId}`,
      'Listen',
      Date.now(),
    );
    return why === undefined ? undefined : { condition: 'amqp:unauthorized-access', description: why };
  }

  /** A client attached a sender: to `$cbs`, `$management`, or a hub (or one partition) to produce. */
  #receiverOpened(connection: Connection, link: Receiver): void {
    const remote = (
      link as unknown as { remote: { attach: { target?: { address?: string }; source?: unknown } } }
    ).remote.attach;
    link.set_target((remote.target ?? {}) as TerminusOptions);
    link.set_source((remote.source ?? {}) as Source);
    const address = remote.target?.address ?? '';
    if (address === '$cbs' || address === '$management') return;
    const state = this.#connections.get(connection);
    const [hubName = '', ...rest] = address.split('/');
    const hub = this.hub(hubName);
    const entity = `${this.#options.host}/${address}`;
    const partitioned = rest.length === 2 && /^partitions$/i.test(rest[0] ?? '');
    if (
      hub === undefined ||
      (rest.length > 0 && !partitioned) ||
      (partitioned && hub.partition(rest[1] ?? '') === undefined)
    ) {
      link.close({
        condition: 'amqp:not-found',
        description: `The messaging entity 'sb://${entity}' could not be found.`,
      });
      return;
    }
    const why = state === undefined ? 'no connection' : state.claims.refusal(entity, 'Send', Date.now());
    if (why !== undefined) {
      link.close({ condition: 'amqp:unauthorized-access', description: why });
      return;
    }
    (link as unknown as { local: { attach: { max_message_size: number } } }).local.attach.max_message_size =
      this.#options.maxMessageBytes ?? 1024 * 1024;
  }

  #message(context: EventContext): void {
    const { receiver, message, delivery, connection } = context;
    if (receiver === undefined || message === undefined) return;
    const address = remoteAddress(receiver, 'target');
    const state = this.#connections.get(connection);
    if (state === undefined) return;
    if (address === '$cbs' || address === '$management') {
      const reply =
        address === '$cbs'
          ? state.claims.putToken(message, this.#options.policies, Date.now())
          : managementReply(message, this, Date.now());
      this.#reply(state, message, reply);
      return;
    }
    const [hubName = '', , partitionId] = address.split('/');
    const hub = this.hub(hubName);
    if (hub === undefined || delivery === undefined) return;
    ingest(hub, partitionId, message, delivery);
  }

  #reply(state: ConnectionState, request: Message, reply: Message): void {
    const link = state.replyLinks.get(String(request.reply_to));
    link?.send(reply);
  }

  #closeLinksWithExpiredTokens(): void {
    const now = Date.now();
    for (const [sender, entry] of this.#receiverKeys) {
      const state = this.#connections.get(sender.connection);
      const resource = `${this.#options.host}/${remoteAddress(sender, 'source')}`;
      const why = state?.claims.refusal(resource, 'Listen', now);
      if (why === undefined) continue;
      this.#receiverKeys.delete(sender);
      this.#receivers.remove(entry.key, entry.receiver);
      sender.close({ condition: 'amqp:unauthorized-access', description: why });
    }
  }

  /** For the management node. */
  get host(): string {
    return this.#options.host;
  }

  get policies(): readonly SasPolicy[] {
    return this.#options.policies;
  }
}

/** The address the client attached a link with (rhea's getters return our own, encoded, terminus). */
function remoteAddress(link: Sender | Receiver, end: 'source' | 'target'): string {
  const attach = (
    link as unknown as { remote: { attach?: Record<string, { address?: string } | undefined> } }
  ).remote.attach;
  return attach?.[end]?.address ?? '';
}

/** rhea hands a described filter as `{ descriptor, value }`, or the bare string. */
function selectorText(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  if (typeof selector === 'string') return selector;
  const value = (selector as { value?: unknown }).value;
  return typeof value === 'string' ? value : String(value);
}
