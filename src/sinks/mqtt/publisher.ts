/**
 * Publishes at QoS 1 with mqtt.js: many PUBLISH packets in flight (at most `mqtt.max.inflight.messages`, lowered
 * to the broker's MQTT 5 Receive Maximum), each settled by its PUBACK.
 *
 * Order and retries. Messages wait in our FIFO and are handed to mqtt.js in order, only while connected (after the
 * `connect` event, i.e. once mqtt.js has resent its store): mqtt.js would otherwise queue them where a second
 * connection loss fails them ("Connection closed"). What was handed over is never given up on a connection loss:
 * mqtt.js keeps unacknowledged packets in its outgoing store and resends them, in order, after the reconnect (with
 * `clean: false` and a stable client id the broker resumes the session), then our FIFO goes on. So a broker outage
 * neither reorders nor resends what the broker acknowledged; the pending batches hold the engine's budget and pause
 * the source. A PUBLISH without PUBACK for `mqtt.send.timeout.ms` while connected drops the connection, so that
 * mqtt.js resends what is unacknowledged (MQTT resends only on a new connection, MQTT 5 §4.4).
 *
 * A CONNACK refusal is classified (`verdicts.ts`): bad credentials fail the connector with a clear message; a
 * transient refusal is retried.
 * @module
 */
import { createRequire } from 'node:module';
import type * as Mqtt from 'mqtt';
import type { IClientPublishOptions, IConnackPacket, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type BridgeError, StoppingError } from '../../engine/index.ts';
import {
  AckWatch,
  DURABLE,
  type MessageOutcome,
  type OutboundMessage,
  propertyText,
  type PublisherMetrics,
} from '../topic/index.ts';
import { clientOptions } from './client-options.ts';
import type { MqttSinkConfig } from './config.ts';
import { MqttSendTimeoutError } from './errors.ts';
import { connectionError, type MqttContext, publishError } from './verdicts.ts';
import { WriteBurst } from './write-burst.ts';

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
  /** When it was handed to mqtt.js (the send timeout's coarse clock). */
  sentAt: number;
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
  /** PUBLISH packets mqtt.js held when the connection closed: it resends them after the reconnect. */
  #resending = 0;
  #waiting: Pending[] = [];
  /** Handed to mqtt.js, awaiting PUBACK, oldest first. */
  readonly #sent = new Set<Pending>();
  readonly #waiters = new Set<{ resolve: () => void; reject: (cause: BridgeError) => void }>();
  readonly #watch: AckWatch;
  #reconnectTimer: NodeJS.Timeout | undefined;
  /** Messages are waiting for an in-flight slot (counted once per wait in `window_waits_total`). */
  #full = false;
  /** The PUBLISH packets of one turn leave in one socket write. */
  readonly #burst = new WriteBurst();

  constructor(options: MqttPublisherOptions) {
    this.#options = options;
    const { url, username, clientId } = options.config;
    this.#context = { url, username, clientId };
    this.#limit = options.config.maxInFlightMessages;
    this.#watch = new AckWatch({
      timeoutMs: options.config.sendTimeoutMs,
      linkUp: () => this.#client?.connected === true,
      oldestSentAt: () => this.#sent.values().next().value?.sentAt,
      expired: (waitedMs) => {
        this.#timedOut(waitedMs);
      },
    });
  }

  /** PUBLISH packets sent (or queued in mqtt.js while offline) and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlight;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Why the connection is down, failed, or a PUBACK is overdue, if so (cleared by the next PUBACK). */
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

  /**
   * Queues messages behind those already queued (synchronously: the order of calls is the order on the wire) and
   * resolves, index-aligned, once every message has its PUBACK or failed. Never rejects; while disconnected the
   * messages wait.
   */
  async publish(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<MessageOutcome[]> {
    if (messages.length === 0) return [];
    this.#client ??= this.#createClient();
    const { promise, resolve } = Promise.withResolvers<MessageOutcome[]>();
    const batch: Batch = {
      outcomes: new Array<MessageOutcome>(messages.length),
      remaining: messages.length,
      done: resolve,
    };
    const pendings = messages.map((message, index): Pending => ({
      message,
      batch,
      index,
      settled: false,
      sentAt: 0,
    }));
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
    this.#watch.stop();
    this.#fail(new StoppingError('the MQTT publisher closed'));
    await this.#client?.endAsync(true);
  }

  #createClient(): MqttClient {
    const { config, logger } = this.#options;
    const client = mqtt().connect(config.url, clientOptions(config, logger));
    client.on('connect', (connack) => {
      this.#onConnect(connack);
    });
    client.on('close', () => {
      if (this.#connected) logger.warn({ inFlight: this.#inFlight }, 'MQTT connection lost');
      if (this.#connected || this.#resending === 0) this.#resending = this.#inFlight;
      this.#connected = false;
    });
    client.on('reconnect', () => {
      this.#options.metrics.reconnect();
    });
    client.on('error', (error) => {
      this.#onError(error);
    });
    this.#watch.start();
    return client;
  }

  /** mqtt.js emits `connect` once it has resent its store after a reconnect. */
  #onConnect(connack: IConnackPacket): void {
    const receiveMaximum = connack.properties?.receiveMaximum;
    this.#limit = Math.min(this.#options.config.maxInFlightMessages, receiveMaximum ?? Infinity);
    const resent = this.#everConnected ? this.#resending : 0;
    // mqtt.js resent every unacknowledged PUBLISH from its store: the broker may have seen them twice.
    if (resent > 0) this.#options.metrics.republished(resent);
    this.#resending = 0;
    this.#options.logger.info({ inFlightLimit: this.#limit, resent }, 'MQTT connected');
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

  /** A PUBACK is overdue while connected: report it and reconnect, so that mqtt.js resends the unacknowledged. */
  #timedOut(waitedMs: number): void {
    const { metrics, logger, config } = this.#options;
    const cause = new MqttSendTimeoutError(
      `${this.#sent.size} PUBLISH packet(s) to ${config.url} had no PUBACK for ${Math.round(waitedMs / 1000)} s ` +
        `(mqtt.send.timeout.ms=${config.sendTimeoutMs}): reconnecting to resend them`,
    );
    metrics.sendTimeout();
    logger.warn({ err: cause, unacknowledged: this.#sent.size }, 'MQTT send timed out');
    this.#lastError = cause;
    this.#connected = false;
    this.#client?.stream.destroy();
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
    if (client === undefined || !this.#connected || this.#fatal !== undefined) return;
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
    pending.sentAt = this.#watch.now();
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
    this.#burst.hold(client.stream);
    client.publish(topic, payload, options, (error) => {
      this.#inFlight -= 1;
      this.#sent.delete(pending);
      if (!error) {
        this.#options.metrics.acked(1);
        if (this.#lastError instanceof MqttSendTimeoutError) this.#lastError = undefined;
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
