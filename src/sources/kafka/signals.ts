/**
 * Things kafkajs only says in its logs, turned into calls: the source subscribes, the client's log hook reports.
 * @module
 */
import type { TopicPartition } from '../../engine/index.ts';

/** kafkajs' log line when a fetch got OffsetOutOfRange and it reset the partition to its default offset. */
const OFFSET_RESET = 'Offset out of range, resetting to default offset';
/** kafkajs' log line when the coordinator expired this member (UNKNOWN_MEMBER_ID): it rejoins, no REBALANCING. */
const EVICTED = 'The coordinator is not aware of this member, re-joining the group';

/** kafkajs' log lines when a connection to a broker failed (it retries them for a minute or more first). */
const CONNECTION_FAILED = /^Connection (error|timeout)/;

/** Signals from a kafkajs client to the source using it. */
export class KafkaSignals {
  #offsetReset: ((tp: TopicPartition) => void) | undefined;
  #connectionFailed: ((detail: string) => void) | undefined;
  #evicted: (() => void) | undefined;

  /** Subscribes to connection failures (one listener: the source's health). */
  onConnectionFailed(listener: (detail: string) => void): void {
    this.#connectionFailed = listener;
  }

  /** Subscribes to offset resets (one listener: the source). */
  onOffsetReset(listener: (tp: TopicPartition) => void): void {
    this.#offsetReset = listener;
  }

  /** Subscribes to evictions: the group expired this member, which rejoins (one listener: the source). */
  onEvicted(listener: () => void): void {
    this.#evicted = listener;
  }

  /** Called with every kafkajs log entry; reports what matters. */
  observe(message: string, fields: Readonly<Record<string, unknown>>): void {
    if (message === EVICTED) this.#evicted?.();
    if (
      message === OFFSET_RESET &&
      typeof fields.topic === 'string' &&
      typeof fields.partition === 'number'
    ) {
      this.#offsetReset?.({ topic: fields.topic, partition: fields.partition });
    } else if (CONNECTION_FAILED.test(message)) {
      const broker = typeof fields.broker === 'string' ? ` to ${fields.broker}` : '';
      this.#connectionFailed?.(`connect${broker}: ${message}`);
    }
  }
}
