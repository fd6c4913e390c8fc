/**
 * The real library behind the boundary of `session.ts`: solclientjs, loaded on first use (only a connector with a
 * `solace` sink pays for it) and initialised once with the `version10_5` profile (guaranteed messaging on, binary
 * attachments as bytes, UTF-8 topics; reference/solace.md §2). solclientjs is proprietary: it comes from the npm
 * registry and is never copied into this repository (docs/sinks/solace.md, "Licence").
 * @module
 */
import type { Logger } from 'pino';
import type solace from 'solclientjs';
import { SolaceLibraryError } from './errors.ts';
import type { OutboundMessage } from '../topic/index.ts';
import {
  type DeliveryMode,
  OperationRefusedError,
  type PreparedMessage,
  type SessionEvent,
  type SessionFactory,
  type SessionPort,
  type SessionSettings,
  Subcode,
} from './session.ts';

type Solace = typeof solace;

const initialised = new WeakSet<object>();

/**
 * Loads solclientjs and initialises its factory (the first initialisation in a process wins, as the library
 * itself decides).
 * @throws SolaceLibraryError when the package cannot be loaded.
 */
export async function loadSolclient(logger: Logger): Promise<SessionFactory> {
  let library: Solace;
  try {
    library = (await import('solclientjs')).default;
  } catch (error) {
    throw new SolaceLibraryError(
      'solclientjs could not be loaded: install it with `npm install solclientjs@10.18.3` beside logbridge',
      { cause: error },
    );
  }
  if (!initialised.has(library)) {
    const properties = new library.SolclientFactoryProperties();
    properties.profile = library.SolclientFactoryProfiles.version10_5;
    properties.logLevel = library.LogLevel.WARN;
    properties.logger = libraryLogger(library, logger.child({ component: 'solclientjs' }));
    library.SolclientFactory.init(properties);
    initialised.add(library);
  }
  return new SolclientFactory(library, logger);
}

/** Creates real sessions. */
class SolclientFactory implements SessionFactory {
  readonly #solace: Solace;
  readonly #logger: Logger;

  constructor(library: Solace, logger: Logger) {
    this.#solace = library;
    this.#logger = logger;
  }

  createSession(settings: SessionSettings, onEvent: (event: SessionEvent) => void): SessionPort {
    const s = this.#solace;
    const session = refusing(() => s.SolclientFactory.createSession(sessionProperties(s, settings)));
    forwardEvents(s, session, onEvent);
    // A throwing listener is re-emitted on 'error' (reference §4); without a listener that would crash.
    session.on('error', (error: unknown) => {
      this.#logger.error({ err: error }, 'a Solace session event handler failed');
    });
    return new SolclientSession(s, session);
  }
}

function sessionProperties(s: Solace, settings: SessionSettings): solace.SessionProperties {
  const tls = settings.tls;
  const options: Record<string, unknown> = {
    url: [...settings.url],
    vpnName: settings.vpnName,
    userName: settings.userName,
    password: settings.password.reveal(),
    clientName: settings.clientName,
    applicationDescription: 'logbridge',
    authenticationScheme:
      settings.authenticationScheme === 'client-certificate'
        ? s.AuthenticationScheme.CLIENT_CERTIFICATE
        : s.AuthenticationScheme.BASIC,
    connectTimeoutInMsecs: settings.connectTimeoutMs,
    connectRetries: settings.connectRetries,
    reconnectRetries: settings.reconnectRetries,
    reconnectRetryWaitInMsecs: settings.reconnectRetryWaitMs,
    keepAliveIntervalInMsecs: settings.keepAliveIntervalMs,
    keepAliveIntervalsLimit: settings.keepAliveIntervalsLimit,
    sendBufferMaxSize: settings.sendBufferMaxBytes,
    sslValidateCertificate: tls.validateCertificate,
    publisherProperties: new s.MessagePublisherProperties({
      enabled: settings.guaranteed,
      windowSize: settings.windowSize,
      acknowledgeTimeoutInMsecs: settings.acknowledgeTimeoutMs,
      acknowledgeMode: s.MessagePublisherAcknowledgeMode.PER_MESSAGE,
    }),
  };
  if (tls.trustStores.length > 0) options['sslTrustStores'] = [...tls.trustStores];
  if (tls.trustedCommonNames.length > 0) options['sslTrustedCommonNameList'] = [...tls.trustedCommonNames];
  if (tls.certificate !== undefined) options['sslCertificate'] = tls.certificate;
  if (tls.privateKey !== undefined) options['sslPrivateKey'] = tls.privateKey;
  if (tls.privateKeyPassword !== undefined)
    options['sslPrivateKeyPassword'] = tls.privateKeyPassword.reveal();
  if (tls.cipherSuites !== undefined) options['sslCipherSuites'] = tls.cipherSuites;
  return new s.SessionProperties(options);
}

/** Translates solclientjs session events (reference §4, §6: read `errorSubcode`, not `subcode`). */
export function forwardEvents(
  s: Solace,
  session: solace.Session,
  onEvent: (event: SessionEvent) => void,
): void {
  const code = s.SessionEventCode;
  const on = (
    eventCode: solace.SessionEventCode,
    translate: (e: solace.SessionEvent) => SessionEvent,
  ): void => {
    session.on(eventCode, (e: solace.SessionEvent) => {
      onEvent(translate(e));
    });
  };
  const info = (e: solace.SessionEvent): string => {
    // Typed as always present; the library leaves it undefined on some events.
    const text: unknown = e.infoStr;
    return typeof text === 'string' ? text : '';
  };
  const subcode = (e: solace.SessionEvent): number => e.errorSubcode;
  on(code.UP_NOTICE, () => ({ type: 'up' }));
  on(code.CONNECT_FAILED_ERROR, (e) => ({ type: 'connect-failed', subcode: subcode(e), info: info(e) }));
  on(code.DOWN_ERROR, (e) => ({ type: 'down', subcode: subcode(e), info: info(e) }));
  on(code.RECONNECTING_NOTICE, (e) => ({ type: 'reconnecting', info: info(e) }));
  on(code.RECONNECTED_NOTICE, () => ({ type: 'reconnected' }));
  on(code.DISCONNECTED, () => ({ type: 'disconnected' }));
  on(code.ACKNOWLEDGED_MESSAGE, (e) => ({ type: 'acknowledged', key: e.correlationKey }));
  on(code.REJECTED_MESSAGE_ERROR, (e) => ({
    type: 'rejected',
    key: e.correlationKey,
    subcode: subcode(e),
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    info: info(e),
  }));
  on(code.CAN_ACCEPT_DATA, () => ({ type: 'can-accept-data' }));
  on(code.REPUBLISHING_UNACKED_MESSAGES, (e) => ({
    type: 'republishing',
    count: (e as unknown as { count?: number }).count ?? 0,
  }));
  on(code.GUARANTEED_MESSAGE_PUBLISHER_DOWN, (e) => ({ type: 'publisher-down', info: info(e) }));
}

/** One real session. */
class SolclientSession implements SessionPort {
  readonly #solace: Solace;
  readonly #session: solace.Session;
  /** Topic destinations by name: validated and encoded once (bounded: cleared when it grows past 4096). */
  readonly #destinations = new Map<string, solace.Destination>();

  constructor(library: Solace, session: solace.Session) {
    this.#solace = library;
    this.#session = session;
  }

  connect(): void {
    refusing(() => {
      this.#session.connect();
    });
  }

  prepare(message: OutboundMessage, key: object, mode: DeliveryMode): PreparedMessage {
    return refusing(() =>
      buildMessage(this.#solace, this.#destination(message.topic), message, { key, mode }),
    );
  }

  send(message: PreparedMessage): void {
    refusing(() => {
      this.#session.send(message as solace.Message);
    });
  }

  disconnect(): void {
    refusing(() => {
      this.#session.disconnect();
    });
  }

  dispose(): void {
    this.#session.dispose();
  }

  #destination(topic: string): solace.Destination {
    let destination = this.#destinations.get(topic);
    if (destination === undefined) {
      if (this.#destinations.size >= 4096) this.#destinations.clear();
      destination = this.#solace.SolclientFactory.createTopicDestination(topic);
      this.#destinations.set(topic, destination);
    }
    return destination;
  }
}

/**
 * Builds a `solace.Message`: topic, delivery mode, the payload as a binary attachment (a Buffer: a JS string would
 * be read as Latin-1 and lose other characters, reference §9), content type, correlation key (persistent only) and
 * user properties as a typed SDT map.
 */
export function buildMessage(
  s: Solace,
  destination: solace.Destination,
  message: OutboundMessage,
  { key, mode }: { readonly key: object; readonly mode: DeliveryMode },
): solace.Message {
  const m = s.SolclientFactory.createMessage();
  m.setDestination(destination);
  m.setDeliveryMode(
    mode === 'direct' ? s.MessageDeliveryModeType.DIRECT : s.MessageDeliveryModeType.PERSISTENT,
  );
  m.setBinaryAttachment(message.payload);
  m.setHttpContentType(message.contentType);
  if (mode === 'persistent') m.setCorrelationKey(key);
  const map = new s.SDTMapContainer();
  for (const property of message.properties) {
    const type =
      property.type === 'int32'
        ? s.SDTFieldType.INT32
        : property.type === 'int64'
          ? s.SDTFieldType.INT64
          : s.SDTFieldType.STRING;
    map.addField(property.name, type, property.value);
  }
  m.setUserPropertyMap(map);
  return m;
}

/** Runs a library call, turning its OperationError into an OperationRefusedError with the subcode. */
function refusing<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const subcode = (error as { subcode?: unknown }).subcode;
    const message = error instanceof Error ? error.message : String((error as { message?: unknown }).message);
    throw new OperationRefusedError(
      message,
      typeof subcode === 'number' ? subcode : Subcode.PARAMETER_INVALID_TYPE,
      {
        cause: error,
      },
    );
  }
}

function libraryLogger(s: Solace, logger: Logger): solace.LogImpl {
  const line = (...args: unknown[]): string => args.map(String).join(' ');
  const ignore = (): void => undefined;
  return new s.LogImpl(
    ignore,
    ignore,
    ignore,
    (...args: unknown[]) => {
      logger.warn(line(...args));
    },
    (...args: unknown[]) => {
      logger.error(line(...args));
    },
    (...args: unknown[]) => {
      logger.error(line(...args));
    },
  );
}
