/**
 * The messages of a Solace publisher, in order: waiting in the backlog to be handed to the library, then
 * unacknowledged (keyed by correlation key, in send order), then settled. The publisher decides when to send and
 * what a session event means; this keeps the order and resolves each message's promise once.
 * @module
 */
import type { BridgeError } from '../../engine/index.ts';
import { DURABLE, type MessageOutcome, type OutboundMessage } from '../topic/index.ts';
import type { PreparedMessage } from './session.ts';

/** One message on its way. */
export interface Pending {
  readonly message: OutboundMessage;
  /** The correlation key: a frozen object that only identifies this message. */
  readonly key: object;
  /** Built once, so that a send refused for lack of space is retried with the same message. */
  prepared: PreparedMessage | undefined;
  settled: boolean;
  /** When `send()` took it (the send timeout's coarse clock). */
  sentAt: number;
  readonly resolve: (outcome: MessageOutcome) => void;
}

/** Backlog and unacknowledged messages. */
export class Outbox {
  #backlog: Pending[] = [];
  readonly #unacked = new Map<object, Pending>();
  #drained: (() => void) | undefined;

  /** Messages waiting to be handed to the library. */
  get waiting(): number {
    return this.#backlog.length;
  }

  /** Messages handed to the library and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#unacked.size;
  }

  /** When the oldest unacknowledged message was sent, if there is one. */
  oldestSentAt(): number | undefined {
    return this.#unacked.values().next().value?.sentAt;
  }

  /** Queues messages behind the backlog; each promise resolves with that message's outcome. */
  add(messages: readonly OutboundMessage[]): { pendings: Pending[]; results: Promise<MessageOutcome>[] } {
    const pendings: Pending[] = [];
    const results = messages.map(
      (message) =>
        new Promise<MessageOutcome>((resolve) => {
          const key = Object.freeze({});
          pendings.push({ message, key, prepared: undefined, settled: false, sentAt: 0, resolve });
        }),
    );
    this.#backlog.push(...pendings);
    return { pendings, results };
  }

  /** The next message to hand over (settled ones are dropped from the head), left in place until `handedOver`. */
  next(): Pending | undefined {
    while (this.#backlog[0]?.settled === true) this.#backlog.shift();
    return this.#backlog[0];
  }

  /**
   * The head of the backlog left it: handed over (awaiting acknowledgement from `sentAt`, or durable at once when
   * `sentAt` is undefined: direct messages), or refused with `failed`.
   */
  handedOver(pending: Pending, sentAt: number | undefined, failed?: BridgeError): void {
    if (this.#backlog[0] === pending) this.#backlog.shift();
    if (failed !== undefined) this.settle(pending, { ok: false, cause: failed });
    else if (sentAt === undefined) this.settle(pending, DURABLE);
    else {
      pending.sentAt = sentAt;
      this.#unacked.set(pending.key, pending);
    }
  }

  /** The unacknowledged message with this correlation key, if any. */
  unackedBy(key: unknown): Pending | undefined {
    return typeof key === 'object' && key !== null ? this.#unacked.get(key) : undefined;
  }

  settle(pending: Pending, outcome: MessageOutcome): void {
    if (pending.settled) return;
    pending.settled = true;
    this.#unacked.delete(pending.key);
    pending.resolve(outcome);
    this.#notifyDrained();
  }

  /** Fails every unacknowledged and waiting message with `cause`, in their order. */
  failAll(cause: BridgeError): void {
    const failed: MessageOutcome = { ok: false, cause };
    for (const pending of [...this.#unacked.values(), ...this.#backlog]) this.settle(pending, failed);
    this.#backlog = [];
  }

  /** Resolves once nothing is unacknowledged or waiting. */
  drained(): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<undefined>();
    this.#drained = () => {
      resolve(undefined);
    };
    this.#notifyDrained();
    return promise;
  }

  #notifyDrained(): void {
    if (this.#drained === undefined || this.#unacked.size > 0 || this.#backlog.some((p) => !p.settled))
      return;
    this.#drained();
    this.#drained = undefined;
  }
}
