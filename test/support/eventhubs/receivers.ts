/**
 * Partition receivers (README.md § Receivers): a client's receiving link on
 * `<hub>/ConsumerGroups/<group>/Partitions/<n>` is our sending link. Events go out only against the link credit the
 * client grants, in sequence order, from where its selector filter says, with Event Hubs' annotations. The epoch
 * (owner level, link property `com.microsoft:epoch`) rule: a receiver with an epoch as high as any attached one
 * disconnects the others with `amqp:link:stolen`; one with a lower epoch, or none while an epoch receiver is attached, is refused; at most
 * 5 receivers without epoch per partition and consumer group.
 */
import type { Message, Sender } from 'rhea';
import { deliveryAnnotations, type PartitionLog } from './log.ts';

/** One attached partition receiver. */
export class PartitionReceiver {
  readonly link: Sender;
  readonly epoch: number | undefined;
  readonly #log: PartitionLog;
  #next: number;
  #stopAppend: () => void;
  #stalled: () => boolean;

  constructor(
    link: Sender,
    log: PartitionLog,
    from: number,
    options: { epoch: number | undefined; stalled: () => boolean },
  ) {
    this.link = link;
    this.#log = log;
    this.#next = from;
    this.epoch = options.epoch;
    this.#stalled = options.stalled;
    this.#stopAppend = log.onAppend(() => {
      this.pump();
    });
  }

  /** Sends what the credit allows. */
  pump(): void {
    if (this.#stalled() || !this.link.is_open()) return;
    // Events that retention dropped meanwhile are gone: go on from the oldest retained one.
    this.#next = Math.max(this.#next, this.#log.beginSequenceNumber);
    while (this.link.sendable()) {
      const event = this.#log.at(this.#next);
      if (event === undefined) return;
      const annotations = {
        ...(event.message['message_annotations'] as object),
        ...deliveryAnnotations(event),
      };
      this.link.send({ ...event.message, message_annotations: annotations } as unknown as Message);
      this.#next += 1;
    }
  }

  detached(): void {
    this.#stopAppend();
    this.#stopAppend = () => undefined;
  }
}

/** Non-epoch receivers allowed per partition and consumer group (Event Hubs quotas). */
export const MAX_RECEIVERS_WITHOUT_EPOCH = 5;

/** Why an attach is refused, as an AMQP error. */
export interface Refusal {
  readonly condition: string;
  readonly description: string;
}

/** The receivers of every partition and consumer group, and the epoch rule between them. */
export class ReceiverRegistry {
  readonly #receivers = new Map<string, Set<PartitionReceiver>>();

  /**
   * Applies the epoch rule for a new receiver with `epoch` on `key` (`<hub>/<group>/<partition>`, lower case):
   * @returns a refusal for the new one, or undefined after disconnecting the receivers it supersedes.
   */
  admit(key: string, epoch: number | undefined): Refusal | undefined {
    const current = [...(this.#receivers.get(key) ?? [])];
    const highest = Math.max(-1, ...current.map((r) => r.epoch ?? -1));
    const epochHolder = current.some((r) => r.epoch !== undefined);
    if (epoch === undefined) {
      if (epochHolder) {
        return {
          condition: 'amqp:link:stolen',
          description: `Receiver 'nil' with epoch is not allowed: a receiver with epoch '${highest}' already exists on ${key}.`,
        };
      }
      if (current.length >= MAX_RECEIVERS_WITHOUT_EPOCH) {
        return {
          condition: 'amqp:resource-limit-exceeded',
          description: `Exceeded the maximum number of allowed receivers per partition in a consumer group which is ${MAX_RECEIVERS_WITHOUT_EPOCH}.`,
        };
      }
      return undefined;
    }
    if (epochHolder && epoch < highest) {
      return {
        condition: 'amqp:link:stolen',
        description: `Receiver with epoch '${epoch}' cannot be created: a receiver with higher epoch '${highest}' exists on ${key}.`,
      };
    }
    for (const receiver of current) {
      if (receiver.epoch === undefined || receiver.epoch <= epoch) {
        this.remove(key, receiver);
        receiver.link.close({
          condition: 'amqp:link:stolen',
          description: `New receiver with higher epoch of '${epoch}' is created hence current receiver with epoch '${receiver.epoch ?? 'nil'}' is getting disconnected.`,
        });
      }
    }
    return undefined;
  }

  add(key: string, receiver: PartitionReceiver): void {
    const set = this.#receivers.get(key) ?? new Set();
    set.add(receiver);
    this.#receivers.set(key, set);
  }

  remove(key: string, receiver: PartitionReceiver): void {
    receiver.detached();
    this.#receivers.get(key)?.delete(receiver);
  }

  /** Every attached receiver. */
  all(): PartitionReceiver[] {
    return [...this.#receivers.values()].flatMap((set) => [...set]);
  }

  /** How many receivers are attached to a partition of a consumer group. */
  count(key: string): number {
    return this.#receivers.get(key)?.size ?? 0;
  }
}
