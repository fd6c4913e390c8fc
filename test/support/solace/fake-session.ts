/**
 * A fake Solace broker behind the library boundary of `src/sinks/solace/session.ts` (no SMF broker runs here). It
 * reproduces the behaviour that reference/solace.md §4–§8 documents for solclientjs, through exactly the calls and
 * events the publisher uses with the real library:
 *
 * - `createSession` refuses, synchronously, a client name over 160 characters or a VPN name over 32 (PARAMETER_OUT_OF_RANGE).
 * - `connect()` answers, on a later tick, `up` or `connect-failed` (LOGIN_FAILURE 13 for bad credentials,
 *   CONNECTION_ERROR 44 when the broker is down).
 * - `send()` of a persistent message takes one of `windowSize` slots; with none left it throws
 *   INSUFFICIENT_SPACE (22) "Guaranteed Message Window Closed" and, once a slot frees, emits `can-accept-data`
 *   (only after such a throw). A payload over `maxMessageBytes` throws MESSAGE_TOO_LARGE (32). Direct messages take
 *   no slot and get no acknowledgement.
 * - Acknowledgements come in send order (PER_MESSAGE: one `acknowledged` per message, with its correlation key); a
 *   NACK for message X acknowledges the messages before it and rejects X with a subcode.
 * - `drop()` then `restore()`: `reconnecting`, then `reconnected`; a flow that cannot be resumed first emits
 *   `republishing` with the count, and the broker receives those messages again (duplicates). `giveUp()` emits
 *   `down`: what was unacknowledged is never acknowledged.
 */
import {
  type DeliveryMode,
  OperationRefusedError,
  type PreparedMessage,
  type SessionEvent,
  type SessionFactory,
  type SessionPort,
  type SessionSettings,
  Subcode,
} from '../../../src/sinks/solace/session.ts';
import type { OutboundMessage } from '../../../src/sinks/topic/message.ts';

/** A message as the fake broker holds it. */
export interface FakeMessage {
  readonly message: OutboundMessage;
  readonly key: object;
  readonly mode: DeliveryMode;
}

/** How the broker answers a persistent message when it auto-acknowledges: ack, or NACK with a subcode. */
export type Verdict =
  'ack' | { readonly reject: number; readonly info?: string; readonly responseCode?: number };

/** Broker behaviour a test can change at any time. */
export interface FakeBrokerOptions {
  /** Acknowledge (or NACK, per `verdict`) every persistent message on a later tick. Default false: tests call `ack`. */
  autoAck?: boolean;
  /** The answer to each message when auto-acknowledging. Default: ack. */
  verdict?: (message: FakeMessage) => Verdict;
  /** Largest payload accepted by `send()`, bytes. Default unlimited. */
  maxMessageBytes?: number;
  /** Refuse logins with LOGIN_FAILURE. */
  refuseLogin?: boolean;
  /** Down: connects fail with CONNECTION_ERROR. */
  down?: boolean;
}

/** The fake broker and library: hands out sessions and lets tests drive what the broker does. */
export class FakeSolace implements SessionFactory {
  readonly options: FakeBrokerOptions;
  /** Every message the broker received, in order, duplicates included. */
  readonly received: FakeMessage[] = [];
  /** Sessions created, newest last. */
  readonly sessions: FakeSession[] = [];

  constructor(options: FakeBrokerOptions = {}) {
    this.options = options;
  }

  /**
   * Like solclientjs's `createSession`, refuses synchronously (OperationError, PARAMETER_OUT_OF_RANGE) a client name
   * over 160 characters or a VPN name over 32: the library's own SessionPropertiesValidator limits.
   */
  createSession(settings: SessionSettings, onEvent: (event: SessionEvent) => void): SessionPort {
    for (const [property, value, max] of [
      ['clientName', settings.clientName, 160],
      ['vpnName', settings.vpnName, 32],
    ] as const) {
      if (value.length > max) {
        throw new OperationRefusedError(
          `SessionProperties validation: Property '${property}' exceeded max length ${max}`,
          Subcode.PARAMETER_OUT_OF_RANGE,
        );
      }
    }
    const session = new FakeSession(this, settings, onEvent);
    this.sessions.push(session);
    return session;
  }

  /** The newest session. */
  get session(): FakeSession {
    const session = this.sessions.at(-1);
    if (session === undefined) throw new Error('no session was created');
    return session;
  }

  /** Received messages' payloads as text, in order. */
  payloads(): string[] {
    return this.received.map((m) => m.message.payload.toString('utf8'));
  }
}

type FakeState = 'new' | 'connecting' | 'up' | 'reconnecting' | 'down' | 'disposed';

/** One fake session. */
export class FakeSession implements SessionPort {
  readonly settings: SessionSettings;
  /** Persistent messages sent and not yet acknowledged, in send order. */
  readonly unacked: FakeMessage[] = [];
  /** `send()` calls refused with INSUFFICIENT_SPACE. */
  windowRefusals = 0;
  state: FakeState = 'new';
  readonly #broker: FakeSolace;
  readonly #emit: (event: SessionEvent) => void;
  #canAcceptDataOwed = false;

  constructor(broker: FakeSolace, settings: SessionSettings, onEvent: (event: SessionEvent) => void) {
    this.#broker = broker;
    this.settings = settings;
    this.#emit = (event) => {
      setImmediate(() => {
        if (this.state !== 'disposed') onEvent(event);
      });
    };
  }

  connect(): void {
    if (this.state !== 'new') throw new OperationRefusedError('Invalid session operation', 3);
    this.state = 'connecting';
    const { refuseLogin, down } = this.#broker.options;
    if (down === true) {
      this.state = 'down';
      this.#emit({ type: 'connect-failed', subcode: Subcode.CONNECTION_ERROR, info: 'connect ECONNREFUSED' });
    } else if (refuseLogin === true) {
      this.state = 'down';
      this.#emit({ type: 'connect-failed', subcode: Subcode.LOGIN_FAILURE, info: '401 Unauthorized' });
    } else {
      this.state = 'up';
      this.#emit({ type: 'up' });
    }
  }

  prepare(message: OutboundMessage, key: object, mode: DeliveryMode): PreparedMessage {
    return { message, key, mode } satisfies FakeMessage;
  }

  send(prepared: PreparedMessage): void {
    if (this.state !== 'up') throw new OperationRefusedError(`Cannot send in state ${this.state}`, 3);
    const message = prepared as FakeMessage;
    const max = this.#broker.options.maxMessageBytes;
    if (max !== undefined && message.message.payload.length > max) {
      throw new OperationRefusedError('Message too large', Subcode.MESSAGE_TOO_LARGE);
    }
    if (message.mode === 'direct') {
      this.#broker.received.push(message);
      return;
    }
    if (this.unacked.length >= this.settings.windowSize) {
      this.windowRefusals += 1;
      this.#canAcceptDataOwed = true;
      throw new OperationRefusedError('Guaranteed Message Window Closed', Subcode.INSUFFICIENT_SPACE);
    }
    this.unacked.push(message);
    this.#broker.received.push(message);
    if (this.#broker.options.autoAck === true)
      setImmediate(() => {
        this.#autoAnswer();
      });
  }

  disconnect(): void {
    this.state = 'down';
    this.#emit({ type: 'disconnected' });
  }

  dispose(): void {
    this.state = 'disposed';
  }

  /** Acknowledges the first `count` unacknowledged messages (all by default), in send order. */
  ack(count = this.unacked.length): void {
    for (const message of this.unacked.splice(0, count))
      this.#emit({ type: 'acknowledged', key: message.key });
    this.#reopenWindow();
  }

  /** NACKs the unacknowledged message at `index` (the ones before it are acknowledged first, as the broker does). */
  reject(index: number, subcode: number, info = 'rejected', responseCode = 503): void {
    this.ack(index);
    const [message] = this.unacked.splice(0, 1);
    if (message === undefined) throw new Error(`no unacknowledged message at ${index}`);
    this.#emit({ type: 'rejected', key: message.key, subcode, responseCode, info });
    this.#reopenWindow();
  }

  /** The connection drops; the library starts reconnecting. */
  drop(): void {
    this.state = 'reconnecting';
    this.#emit({ type: 'reconnecting', info: 'Connection closed by peer' });
  }

  /**
   * The reconnect succeeds. A resumable flow carries on (the broker de-duplicates what the library retransmits);
   * otherwise the library republishes every unacknowledged message, which the broker receives again.
   */
  restore({ resumable }: { readonly resumable: boolean }): void {
    if (!resumable && this.unacked.length > 0) {
      this.#emit({ type: 'republishing', count: this.unacked.length });
      this.#broker.received.push(...this.unacked);
    }
    this.state = 'up';
    this.#emit({ type: 'reconnected' });
    if (this.#broker.options.autoAck === true)
      setImmediate(() => {
        this.#autoAnswer();
      });
  }

  /** Reconnecting gave up: the session is down for good and its unacknowledged messages are never answered. */
  giveUp(subcode: number = Subcode.CONNECTION_ERROR): void {
    this.state = 'down';
    this.unacked.length = 0;
    this.#emit({ type: 'down', subcode, info: 'reconnect gave up' });
  }

  /** The broker closes the guaranteed publisher flow. */
  publisherDown(): void {
    this.#emit({ type: 'publisher-down', info: 'Guaranteed Message Publishing shut down' });
  }

  #autoAnswer(): void {
    if (this.state !== 'up') return;
    const verdict = this.#broker.options.verdict ?? (() => 'ack' as const);
    while (this.unacked.length > 0) {
      const head = this.unacked[0];
      if (head === undefined) break;
      const answer = verdict(head);
      if (answer === 'ack') this.ack(1);
      else this.reject(0, answer.reject, answer.info, answer.responseCode);
    }
  }

  #reopenWindow(): void {
    if (!this.#canAcceptDataOwed || this.unacked.length >= this.settings.windowSize) return;
    this.#canAcceptDataOwed = false;
    this.#emit({ type: 'can-accept-data' });
  }
}
