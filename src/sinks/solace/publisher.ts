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
 *   cause, and the next `ready()` opens a new session (the engine's jittered backoff spaces the attempts). What was
 *   acknowledged stays durable: the engine resends only the failed messages, in their order (an ordered sink).
 * - A message without acknowledgement for `sol.send.timeout.ms` on an up session ends the session the same way.
 * - A session the library refuses synchronously (createSession or connect throws on a property) fails `ready()`
 *   with what to fix, instead of leaving the publisher waiting for an UP_NOTICE that never comes.
 * @module
 */
import type { Logger } from 'pino';
import { type BridgeError, StoppingError } from '../../engine/index.ts';
import {
  AckWatch,
  DURABLE,
  type MessageOutcome,
  type OutboundMessage,
  type PublisherMetrics,
} from '../topic/index.ts';
import { SolaceConnectionError, SolaceSendTimeoutError } from './errors.ts';
import { Outbox, type Pending } from './outbox.ts';
import {
  type DeliveryMode,
  OperationRefusedError,
  type SessionEvent,
  type SessionFactory,
  type SessionPort,
  type SessionSettings,
  Subcode,
} from './session.ts';
import {
  connectError,
  rejectionError,
  sendRefusalError,
  sessionRefusalError,
  subcodeName,
} from './verdicts.ts';

/** Publisher settings. */
export interface PublisherOptions {
  readonly factory: SessionFactory;
  readonly settings: SessionSettings;
  readonly mode: DeliveryMode;
  /** `sol.send.timeout.ms`. */
  readonly sendTimeoutMs: number;
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
  readonly #outbox = new Outbox();
  #blocked = false;
  #whenUp: PromiseWithResolvers<undefined> | undefined;
  #lastError: BridgeError | undefined;
  readonly #watch: AckWatch;

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#watch = new AckWatch({
      timeoutMs: options.sendTimeoutMs,
      linkUp: () => this.#state === 'up',
      oldestSentAt: () => this.#outbox.oldestSentAt(),
      expired: (waitedMs) => {
        this.#timedOut(waitedMs);
      },
    });
  }

  /** Messages handed to the library and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#outbox.unacknowledged;
  }

  /** Messages waiting to be handed to the library. */
  get waiting(): number {
    return this.#outbox.waiting;
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
    // No session to wait for: the library refused to create or connect one, synchronously.
    if (whenUp === undefined) throw this.#lastError ?? new SolaceConnectionError('no Solace session');
    await abortable(whenUp.promise, signal);
  }

  /**
   * Publishes messages in order. Resolves, index-aligned, once every message is acknowledged or failed; never
   * rejects. On `signal` abort the messages not yet settled fail with StoppingError (retry).
   */
  async publish(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<MessageOutcome[]> {
    const { pendings, results } = this.#outbox.add(messages);
    const stop = (): void => {
      const cause = new StoppingError('the connector is stopping');
      for (const pending of pendings) this.#outbox.settle(pending, { ok: false, cause });
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
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
    if (this.#outbox.unacknowledged + this.#outbox.waiting > 0 && deadlineMs > 0) {
      await abortable(this.#outbox.drained(), AbortSignal.timeout(deadlineMs)).catch(() => undefined);
    }
    const session = this.#session;
    this.#watch.stop();
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
      this.#lose(sessionRefusalError(subcode, (error as Error).message));
      return;
    }
    if (this.#options.mode === 'persistent') this.#watch.start();
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
    this.#options.logger.info({ how, unacknowledged: this.#outbox.unacknowledged }, 'Solace session up');
    this.#pump();
  }

  #reconnecting(info: string): void {
    this.#state = 'reconnecting';
    this.#whenUp ??= waiter();
    this.#options.metrics.reconnect();
    this.#options.logger.warn(
      { info, unacknowledged: this.#outbox.unacknowledged },
      'Solace session lost, reconnecting (the library resends what it holds)',
    );
  }

  #acknowledged(key: unknown): void {
    const pending = this.#outbox.unackedBy(key);
    if (pending === undefined) return;
    this.#options.metrics.acked(1);
    this.#outbox.settle(pending, DURABLE);
  }

  #rejected(event: Extract<SessionEvent, { type: 'rejected' }>): void {
    const pending = this.#outbox.unackedBy(event.key);
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
    this.#outbox.settle(pending, { ok: false, cause });
  }

  /** Hands backlog messages to the library in order while the session is up and the window is open. */
  #pump(): void {
    const session = this.#session;
    const direct = this.#options.mode === 'direct';
    while (this.#state === 'up' && !this.#blocked && session !== undefined) {
      const pending = this.#outbox.next();
      if (pending === undefined) break;
      try {
        pending.prepared ??= session.prepare(pending.message, pending.key, this.#options.mode);
        session.send(pending.prepared);
      } catch (error) {
        this.#refused(pending, error);
        continue;
      }
      this.#options.metrics.published(1);
      this.#outbox.handedOver(pending, direct ? undefined : this.#watch.now());
    }
  }

  #refused(pending: Pending, error: unknown): void {
    if (error instanceof OperationRefusedError && error.subcode === Subcode.INSUFFICIENT_SPACE) {
      this.#blocked = true;
      this.#options.metrics.windowWait();
      return;
    }
    const cause =
      error instanceof OperationRefusedError
        ? sendRefusalError(error.subcode, error.message, pending.message.topic)
        : new SolaceConnectionError(`solclientjs failed to send: ${String(error)}`, { cause: error });
    this.#options.metrics.rejected(cause.code);
    this.#outbox.handedOver(pending, undefined, cause);
  }

  /** An acknowledgement is overdue on an up session: report it, and resend on a new session (via the engine). */
  #timedOut(waitedMs: number): void {
    const { metrics, logger, sendTimeoutMs } = this.#options;
    const unacknowledged = this.#outbox.unacknowledged;
    const cause = new SolaceSendTimeoutError(
      `${unacknowledged} guaranteed message(s) had no acknowledgement for ${Math.round(waitedMs / 1000)} s ` +
        `(sol.send.timeout.ms=${sendTimeoutMs}): resending them on a new session`,
    );
    metrics.sendTimeout();
    logger.warn({ err: cause, unacknowledged }, 'Solace send timed out');
    try {
      this.#session?.disconnect();
    } catch {
      // Already going down: #lose disposes of it either way.
    }
    this.#lose(cause);
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
    this.#outbox.failAll(cause);
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
