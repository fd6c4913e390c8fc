/**
 * Publishes messages on one solclientjs session, through the library boundary (`session.ts`), and reports each
 * message's fate. reference/solace.md §4–§8 and solace.community 3295: the API does not queue for us, so:
 *
 * - Messages wait in our FIFO backlog and are handed to `send()` in order while the session is up. When `send()`
 *   throws INSUFFICIENT_SPACE (the publish window of `windowSize` unacknowledged messages is full) the message stays
 *   at the head and nothing is sent until CAN_ACCEPT_DATA: no spinning. The pending `publish` promises are the
 *   backpressure into the engine.
 * - Persistent messages carry a correlation key; ACKNOWLEDGED_MESSAGE settles one, REJECTED_MESSAGE_ERROR refuses
 *   one, classified from its subcode (`verdicts.ts`). Direct messages settle when `send()` returns.
 * - RECONNECTING/RECONNECTED: the library resends what it holds; unacknowledged messages stay pending. After
 *   REPUBLISHING_UNACKED_MESSAGES they may be duplicated (counted). DOWN_ERROR (reconnect gave up), a failed
 *   connect or GUARANTEED_MESSAGE_PUBLISHER_DOWN ends the session: every pending message fails with a `retry`
 *   cause, and the next `ready()` opens a new session (the engine's jittered backoff spaces the attempts).
 * @module
 */
import type { Logger } from 'pino';
import { type BridgeError, StoppingError } from '../../engine/index.ts';
import { SolaceConnectionError } from './errors.ts';
import { DURABLE, type MessageOutcome, type OutboundMessage, type PublisherMetrics } from '../topic/index.ts';
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
import { connectError, rejectionError, sendRefusalError, subcodeName } from './verdicts.ts';

/** One message on its way: in the backlog, then unacknowledged in the library, then settled. */
interface Pending {
  readonly message: OutboundMessage;
  /** The correlation key: a frozen object that only identifies this message. */
  readonly key: object;
  prepared: PreparedMessage | undefined;
  settled: boolean;
  readonly resolve: (outcome: MessageOutcome) => void;
}

/** Publisher settings. */
export interface PublisherOptions {
  readonly factory: SessionFactory;
  readonly settings: SessionSettings;
  readonly mode: DeliveryMode;
  readonly metrics: PublisherMetrics;
  readonly logger: Logger;
}

type State = 'idle' | 'connecting' | 'up' | 'reconnecting' | 'closed';

/** Publishes on one session at a time, replacing it after it is lost. */
export class Publisher {
  readonly #options: PublisherOptions;
  #state: State = 'idle';
  #session: SessionPort | undefined;
  #generation = 0;
  #backlog: Pending[] = [];
  readonly #unacked = new Map<object, Pending>();
  #blocked = false;
  #whenUp: PromiseWithResolvers<undefined> | undefined;
  #lastError: BridgeError | undefined;
  #drained: (() => void) | undefined;

  constructor(options: PublisherOptions) {
    this.#options = options;
  }

  /** Messages handed to the library and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#unacked.size;
  }

  /** Messages waiting to be handed to the library. */
  get waiting(): number {
    return this.#backlog.length;
  }

  /** True while the session is up. */
  get up(): boolean {
    return this.#state === 'up';
  }

  /** Why the last session ended or failed to start, if it did. */
  get lastError(): BridgeError | undefined {
    return this.#lastError;
  }

  /** True while `send()` waits for CAN_ACCEPT_DATA. */
  get windowFull(): boolean {
    return this.#blocked;
  }

  /**
   * Resolves once the session is up, opening one if there is none.
   * @throws BridgeError: the classified connect failure (`LB_SOLACE_LOGIN` fatal, `LB_SOLACE_CONNECTION` retry…),
   *   or StoppingError when `signal` aborts.
   */
  async ready(signal: AbortSignal): Promise<void> {
    if (this.#state === 'up') return;
    if (this.#state === 'closed') throw new StoppingError('the Solace publisher is closed');
    if (this.#state === 'idle') this.#open();
    const whenUp = this.#whenUp;
    if (whenUp === undefined) return;
    await abortable(whenUp.promise, signal);
  }

  /**
   * Publishes messages in order. Resolves, index-aligned, once every message is acknowledged or failed; never
   * rejects. On `signal` abort the messages not yet settled fail with StoppingError (retry).
   */
  async publish(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<MessageOutcome[]> {
    const pendings: Pending[] = [];
    const results = messages.map(
      (message) =>
        new Promise<MessageOutcome>((resolve) => {
          pendings.push({ message, key: Object.freeze({}), prepared: undefined, settled: false, resolve });
        }),
    );
    const stop = (): void => {
      const cause = new StoppingError('the connector is stopping');
      for (const pending of pendings) this.#settle(pending, { ok: false, cause });
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    this.#backlog.push(...pendings);
    this.#pump();
    try {
      return await Promise.all(results);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /**
   * Waits up to `deadlineMs` for what is in flight to settle, fails the rest (StoppingError), then disconnects.
   */
  async close(deadlineMs: number): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#unacked.size + this.#backlog.length > 0 && deadlineMs > 0) {
      const drained = new Promise<void>((resolve) => (this.#drained = resolve));
      await abortable(drained, AbortSignal.timeout(deadlineMs)).catch(() => undefined);
    }
    const session = this.#session;
    this.#end(new StoppingError('the Solace publisher closed'));
    this.#state = 'closed';
    if (session === undefined) return;
    try {
      session.disconnect();
    } catch {
      // Already down: nothing to disconnect.
    }
    session.dispose();
  }

  #open(): void {
    const { factory, settings, logger } = this.#options;
    const generation = ++this.#generation;
    this.#state = 'connecting';
    this.#whenUp = waiter();
    try {
      this.#session = factory.createSession(settings, (event) => {
        if (generation === this.#generation) this.#onEvent(event);
      });
      this.#session.connect();
    } catch (error) {
      const subcode = error instanceof OperationRefusedError ? error.subcode : Subcode.PARAMETER_INVALID_TYPE;
      this.#lose(connectError(subcode, (error as Error).message, settings));
      return;
    }
    logger.debug({ url: settings.url, vpn: settings.vpnName }, 'Solace session connecting');
  }

  #onEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'up':
      case 'reconnected':
        this.#becomeUp(event.type);
        return;
      case 'connect-failed':
      case 'down':
        this.#lose(connectError(event.subcode, event.info, this.#options.settings));
        return;
      case 'publisher-down':
        this.#lose(
          new SolaceConnectionError(`the Solace guaranteed publisher flow closed ("${event.info}")`),
        );
        return;
      case 'reconnecting':
        this.#reconnecting(event.info);
        return;
      case 'acknowledged':
        this.#acknowledged(event.key);
        return;
      case 'rejected':
        this.#rejected(event);
        return;
      case 'can-accept-data':
        this.#blocked = false;
        this.#pump();
        return;
      case 'republishing':
        this.#options.metrics.republished(event.count);
        this.#options.logger.warn(
          { count: event.count },
          'Solace republished unacknowledged messages after a reconnect: possible duplicates (see k_* properties)',
        );
        return;
      case 'disconnected':
        return;
    }
  }

  #becomeUp(how: 'up' | 'reconnected'): void {
    this.#state = 'up';
    // After a reconnect the window may have reopened without CAN_ACCEPT_DATA: try again; send() says if not.
    this.#blocked = false;
    this.#lastError = undefined;
    this.#whenUp?.resolve(undefined);
    this.#whenUp = undefined;
    this.#options.logger.info({ how, unacknowledged: this.#unacked.size }, 'Solace session up');
    this.#pump();
  }

  #reconnecting(info: string): void {
    this.#state = 'reconnecting';
    this.#whenUp ??= waiter();
    this.#options.metrics.reconnect();
    this.#options.logger.warn(
      { info, unacknowledged: this.#unacked.size },
      'Solace session lost, reconnecting (the library resends what it holds)',
    );
  }

  #acknowledged(key: unknown): void {
    const pending = typeof key === 'object' && key !== null ? this.#unacked.get(key) : undefined;
    if (pending === undefined) return;
    this.#options.metrics.acked(1);
    this.#settle(pending, DURABLE);
  }

  #rejected(event: Extract<SessionEvent, { type: 'rejected' }>): void {
    const key = event.key;
    const pending = typeof key === 'object' && key !== null ? this.#unacked.get(key) : undefined;
    const { settings, metrics, logger } = this.#options;
    if (pending === undefined) {
      // A direct message (no key) was refused after send() returned: at-most-once, it is gone.
      metrics.rejected('direct');
      logger.warn(
        { subcode: subcodeName(event.subcode), info: event.info },
        'Solace rejected a direct message',
      );
      return;
    }
    const cause = rejectionError(event.subcode, event.info, event.responseCode, {
      topic: pending.message.topic,
      userName: settings.userName,
      vpnName: settings.vpnName,
    });
    metrics.rejected(cause.code);
    this.#settle(pending, { ok: false, cause });
  }

  /** Hands backlog messages to the library in order while the session is up and the window is open. */
  #pump(): void {
    const session = this.#session;
    while (this.#state === 'up' && !this.#blocked && session !== undefined) {
      const pending = this.#backlog[0];
      if (pending === undefined) break;
      if (pending.settled) {
        this.#backlog.shift();
        continue;
      }
      try {
        pending.prepared ??= session.prepare(pending.message, pending.key, this.#options.mode);
        session.send(pending.prepared);
      } catch (error) {
        this.#refused(pending, error);
        continue;
      }
      this.#backlog.shift();
      this.#options.metrics.published(1);
      if (this.#options.mode === 'direct') this.#settle(pending, DURABLE);
      else this.#unacked.set(pending.key, pending);
    }
    this.#notifyDrained();
  }

  #refused(pending: Pending, error: unknown): void {
    if (error instanceof OperationRefusedError && error.subcode === Subcode.INSUFFICIENT_SPACE) {
      this.#blocked = true;
      this.#options.metrics.windowWait();
      return;
    }
    this.#backlog.shift();
    const cause =
      error instanceof OperationRefusedError
        ? sendRefusalError(error.subcode, error.message, pending.message.topic)
        : new SolaceConnectionError(`solclientjs failed to send: ${String(error)}`, { cause: error });
    this.#options.metrics.rejected(cause.code);
    this.#settle(pending, { ok: false, cause });
  }

  /** The session is gone: every message it held or was waiting for fails with `cause` (retried by the engine). */
  #lose(cause: BridgeError): void {
    const session = this.#session;
    this.#session = undefined;
    this.#generation += 1;
    this.#state = 'idle';
    this.#lastError = cause;
    this.#whenUp?.reject(cause);
    this.#whenUp = undefined;
    this.#end(cause);
    // Not from inside the library's own event dispatch.
    if (session !== undefined)
      setImmediate(() => {
        session.dispose();
      });
    this.#options.logger.warn({ err: cause }, 'Solace session ended');
  }

  #end(cause: BridgeError): void {
    this.#blocked = false;
    const failed: MessageOutcome = { ok: false, cause };
    for (const pending of [...this.#unacked.values(), ...this.#backlog]) this.#settle(pending, failed);
    this.#backlog = [];
  }

  #settle(pending: Pending, outcome: MessageOutcome): void {
    if (pending.settled) return;
    pending.settled = true;
    this.#unacked.delete(pending.key);
    pending.resolve(outcome);
    this.#notifyDrained();
  }

  #notifyDrained(): void {
    if (this.#drained === undefined || this.#unacked.size > 0 || this.#backlog.some((p) => !p.settled))
      return;
    this.#drained();
    this.#drained = undefined;
  }
}

/** A promise to settle later; its rejection is marked handled (a connect nobody waits for must not crash). */
function waiter(): PromiseWithResolvers<undefined> {
  const resolvers = Promise.withResolvers<undefined>();
  resolvers.promise.catch(() => undefined);
  return resolvers;
}

/** `promise`, or a StoppingError as soon as `signal` aborts. */
async function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new StoppingError('aborted');
  const { promise: aborted, reject } = Promise.withResolvers<never>();
  const onAbort = (): void => {
    reject(new StoppingError('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
