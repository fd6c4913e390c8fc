/**
 * Publishes at QoS 1 with mqtt.js: many PUBLISH packets in flight (at most `mqtt.max.inflight.messages`, lowered
 * to the broker's MQTT 5 Receive Maximum), each settled by its PUBACK. mqtt.js keeps unacknowledged packets in its
 * outgoing store and resends them after a reconnect (with `clean: false` and a stable client id the broker resumes
 * the session), so a message handed over is never given up on a connection loss: its promise stays pending, which
 * holds the engine's budget and pauses the source. A CONNACK refusal is classified (`verdicts.ts`): bad
 * credentials fail the connector with a clear message; a transient refusal is retried.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Mqtt from 'mqtt';
import type { IClientOptions, IClientPublishOptions, IConnackPacket, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type BridgeError, StoppingError } from '../../engine/index.ts';
import { MqttRefusedError } from './errors.ts';
import {
  DURABLE,
  type MessageOutcome,
  type OutboundMessage,
  propertyText,
  type PublisherMetrics,
} from '../topic/index.ts';
import type { MqttSinkConfig } from './config.ts';
import { connectionError, type MqttContext, publishError } from './verdicts.ts';

/** mqtt.js, loaded when the first MQTT client is made rather than at start-up (memory of workers without one). */
function mqtt(): typeof Mqtt {
  return createRequire(import.meta.url)('mqtt') as typeof Mqtt;
}

/** The messages of one `publish` call and their outcomes, filled in as PUBACKs arrive. */
interface Batch {
  readonly outcomes: MessageOutcome[];
  remaining: number;
  readonly done: (outcomes: MessageOutcome[]) => void;
}

/** One message: where its outcome goes (no promise per message: this is the hot path). */
interface Pending {
  readonly message: OutboundMessage;
  readonly batch: Batch;
  readonly index: number;
  settled: boolean;
}

/** Publisher settings. */
export interface MqttPublisherOptions {
  readonly config: MqttSinkConfig;
  readonly metrics: PublisherMetrics;
  readonly logger: Logger;
}

/** One mqtt.js client and its in-flight window. */
export class MqttPublisher {
  readonly #options: MqttPublisherOptions;
  readonly #context: MqttContext;
  #client: MqttClient | undefined;
  #connected = false;
  #everConnected = false;
  #fatal: BridgeError | undefined;
  #lastError: BridgeError | undefined;
  #limit: number;
  #inFlight = 0;
  #waiting: Pending[] = [];
  /** Handed to mqtt.js, awaiting PUBACK. */
  readonly #sent = new Set<Pending>();
  readonly #waiters = new Set<{ resolve: () => void; reject: (cause: BridgeError) => void }>();
  #reconnectTimer: NodeJS.Timeout | undefined;
  /** Messages are waiting for an in-flight slot (counted once per wait in `window_waits_total`). */
  #full = false;

  constructor(options: MqttPublisherOptions) {
    this.#options = options;
    const { url, username, clientId } = options.config;
    this.#context = { url, username, clientId };
    this.#limit = options.config.maxInFlightMessages;
  }

  /** PUBLISH packets sent (or queued in mqtt.js while offline) and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlight;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Why the connection is down or failed, if it is. */
  get lastError(): BridgeError | undefined {
    return this.#fatal ?? this.#lastError;
  }

  /**
   * Resolves once connected, creating the client on first use.
   * @throws BridgeError: a fatal refusal (bad credentials…), the next connection error while disconnected (retry),
   *   or StoppingError when `signal` aborts.
   */
  async ready(signal: AbortSignal): Promise<void> {
    if (this.#fatal !== undefined) throw this.#fatal;
    this.#client ??= this.#createClient();
    if (this.#connected) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = { resolve: done(resolve), reject: done(reject) };
      const onAbort = (): void => {
        waiter.reject(new StoppingError('the connector is stopping'));
      };
      function done<A extends unknown[]>(settle: (...args: A) => void): (...args: A) => void {
        return (...args) => {
          signal.removeEventListener('abort', onAbort);
          settle(...args);
        };
      }
      this.#waiters.add(waiter);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Publishes in order; resolves, index-aligned, once every message has its PUBACK or failed. Never rejects. */
  async publish(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<MessageOutcome[]> {
    if (messages.length === 0) return [];
    const { promise, resolve } = Promise.withResolvers<MessageOutcome[]>();
    const batch: Batch = {
      outcomes: new Array<MessageOutcome>(messages.length),
      remaining: messages.length,
      done: resolve,
    };
    const pendings = messages.map((message, index): Pending => ({ message, batch, index, settled: false }));
    const stop = (): void => {
      const cause = new StoppingError('the connector is stopping');
      for (const pending of pendings) settle(pending, { ok: false, cause });
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    if (this.#fatal !== undefined)
      for (const pending of pendings) settle(pending, { ok: false, cause: this.#fatal });
    this.#waiting.push(...pendings);
    this.#pump();
    try {
      return await promise;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Waits up to `deadlineMs` for PUBACKs, fails what is left (StoppingError) and ends the client. */
  async close(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.#inFlight + this.#waiting.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearTimeout(this.#reconnectTimer);
    this.#fail(new StoppingError('the MQTT publisher closed'));
    await this.#client?.endAsync(true);
  }

  #createClient(): MqttClient {
    const client = mqtt().connect(this.#options.config.url, this.#clientOptions());
    client.on('connect', (connack) => {
      this.#onConnect(connack);
    });
    client.on('close', () => {
      if (this.#connected) this.#options.logger.warn({ inFlight: this.#inFlight }, 'MQTT connection lost');
      this.#connected = false;
    });
    client.on('reconnect', () => {
      this.#options.metrics.reconnect();
    });
    client.on('error', (error) => {
      this.#onError(error);
    });
    return client;
  }

  #clientOptions(): IClientOptions {
    const { config } = this.#options;
    const options: IClientOptions = {
      clientId: config.clientId,
      clean: config.cleanSession,
      protocolVersion: config.protocolVersion,
      keepalive: config.keepaliveSeconds,
      connectTimeout: config.connectTimeoutMs,
      reconnectPeriod: config.reconnectPeriodMs,
      resubscribe: false,
      queueQoSZero: false,
      rejectUnauthorized: config.tls.validateCertificate,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: config.password.reveal() }),
      ...(config.protocolVersion === 5 && !config.cleanSession
        ? { properties: { sessionExpiryInterval: config.sessionExpirySeconds } }
        : {}),
    };
    const { caFile, certificateFile, keyFile } = config.tls;
    if (caFile !== undefined) options.ca = readPem(caFile, 'mqtt.ssl.ca.location');
    if (certificateFile !== undefined)
      options.cert = readPem(certificateFile, 'mqtt.ssl.certificate.location');
    if (keyFile !== undefined) options.key = readPem(keyFile, 'mqtt.ssl.key.location');
    return options;
  }

  #onConnect(connack: IConnackPacket): void {
    const receiveMaximum = connack.properties?.receiveMaximum;
    this.#limit = Math.min(this.#options.config.maxInFlightMessages, receiveMaximum ?? Infinity);
    if (this.#everConnected && this.#inFlight > 0) {
      // mqtt.js resends every unacknowledged PUBLISH from its store: the broker may see them twice.
      this.#options.metrics.republished(this.#inFlight);
    }
    this.#options.logger.info(
      { inFlightLimit: this.#limit, resent: this.#everConnected ? this.#inFlight : 0 },
      'MQTT connected',
    );
    this.#everConnected = true;
    this.#connected = true;
    this.#lastError = undefined;
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
    this.#pump();
  }

  #onError(error: unknown): void {
    const cause = connectionError(error, this.#context);
    if (cause.disposition === 'fatal') {
      this.#options.logger.error({ err: cause }, 'MQTT broker refused the connection');
      this.#fail(cause);
      void this.#client?.endAsync(true).catch(() => undefined);
      return;
    }
    this.#lastError = cause;
    for (const waiter of this.#waiters) waiter.reject(cause);
    this.#waiters.clear();
    if (typeof (error as { code?: unknown }).code === 'number') this.#reconnectLater();
  }

  /** mqtt.js stops reconnecting after a CONNACK refusal; a transient one (server busy…) is retried here. */
  #reconnectLater(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      const client = this.#client;
      if (client === undefined || this.#fatal !== undefined || this.#connected) return;
      // Keep the stores: they hold the unacknowledged PUBLISH packets and their callbacks.
      client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
    }, this.#options.config.reconnectPeriodMs);
  }

  /** Fails every message waiting or in flight with `cause`, and refuses new ones. */
  #fail(cause: BridgeError): void {
    this.#fatal ??= cause;
    for (const waiter of this.#waiters) waiter.reject(cause);
    this.#waiters.clear();
    for (const pending of this.#waiting) settle(pending, { ok: false, cause });
    this.#waiting = [];
    for (const pending of this.#sent) settle(pending, { ok: false, cause });
    this.#sent.clear();
  }

  #pump(): void {
    const client = this.#client;
    if (client === undefined || this.#fatal !== undefined) return;
    while (this.#inFlight < this.#limit) {
      const pending = this.#waiting.shift();
      if (pending === undefined) break;
      if (!pending.settled) this.#send(client, pending);
    }
    const full = this.#waiting.length > 0;
    if (full && !this.#full) this.#options.metrics.windowWait();
    this.#full = full;
  }

  #send(client: MqttClient, pending: Pending): void {
    const { topic, payload, contentType, properties } = pending.message;
    this.#inFlight += 1;
    this.#sent.add(pending);
    this.#options.metrics.published(1);
    const options: IClientPublishOptions =
      this.#options.config.protocolVersion === 5
        ? {
            qos: 1,
            properties: {
              contentType,
              userProperties: Object.fromEntries(properties.map((p) => [p.name, propertyText(p)])),
            },
          }
        : { qos: 1 };
    client.publish(topic, payload, options, (error) => {
      this.#inFlight -= 1;
      this.#sent.delete(pending);
      if (!error) {
        this.#options.metrics.acked(1);
        settle(pending, DURABLE);
      } else {
        const cause = publishError(error, topic, this.#context);
        this.#options.metrics.rejected(cause.code);
        if (cause.disposition === 'fatal') this.#fail(cause);
        settle(pending, { ok: false, cause });
      }
      this.#pump();
    });
  }
}

function settle(pending: Pending, outcome: MessageOutcome): void {
  if (pending.settled) return;
  pending.settled = true;
  const { batch } = pending;
  batch.outcomes[pending.index] = outcome;
  batch.remaining -= 1;
  if (batch.remaining === 0) batch.done(batch.outcomes);
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new MqttRefusedError(`cannot read ${key} (${file}): ${(error as Error).message}`, { cause: error });
  }
}
