/**
 * Distributed mode's shared log: connector definitions, target states and restart requests in a compacted Kafka
 * topic (Kafka Connect's config topic), written by any worker and read by every worker from the beginning. Kafka is
 * the consensus: the last record of a key wins, and every worker applies the same records in the same order.
 *
 * Keys: `connector-<name>` → `{"properties": {…}}`, `target-state-<name>` → `{"state": "RUNNING|PAUSED|STOPPED"}`,
 * `restart-<name>` → `{"onlyFailed": bool, "id": …}`; a deleted connector's keys get tombstones.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { classifyKafkaError, KafkaUnknownTopicError } from './errors.ts';

/** A target state. */
export type ConfigTopicState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** A connector as the topic holds it. */
export interface ConfigTopicConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly target: ConfigTopicState;
}

/** A change read from the topic. */
export type ConfigTopicChange =
  | { readonly kind: 'config'; readonly name: string; readonly config: Readonly<Record<string, unknown>> }
  | { readonly kind: 'target'; readonly name: string; readonly target: ConfigTopicState }
  | { readonly kind: 'restart'; readonly name: string; readonly onlyFailed: boolean }
  | { readonly kind: 'deleted'; readonly name: string };

const STATES = new Set(['RUNNING', 'PAUSED', 'STOPPED']);

/** The config topic, read and written by one worker. */
export class KafkaConfigTopic {
  readonly mode = 'distributed';
  readonly #kafka: Kafka;
  readonly #topic: string;
  readonly #logger: Logger;
  readonly #consumer: Consumer;
  readonly #producer: Producer;
  readonly #configs = new Map<string, Readonly<Record<string, unknown>>>();
  readonly #targets = new Map<string, ConfigTopicState>();
  #listener: ((change: ConfigTopicChange) => void) | undefined;

  constructor(kafka: Kafka, topic: string, workerId: string, logger: Logger) {
    this.#kafka = kafka;
    this.#topic = topic;
    this.#logger = logger;
    // A group of its own per process, never committed: every worker reads the whole topic at every start.
    this.#consumer = kafka.consumer({
      groupId: `logbridge-config-reader-${workerId}-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    this.#producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  }

  /** Reads the topic to its end, then reports every later change to `listener`. */
  async start(listener: (change: ConfigTopicChange) => void): Promise<ConfigTopicConnector[]> {
    const ends = await this.#endOffsets();
    const caughtUp = Promise.withResolvers<undefined>();
    const read = new Map<number, bigint>();
    const check = (): void => {
      if ([...ends].every(([partition, end]) => (read.get(partition) ?? 0n) >= end))
        caughtUp.resolve(undefined);
    };
    check();
    // A log whose last records were compacted away never reaches its end offset: two empty fetches mean caught up.
    let quietFetches = 0;
    this.#consumer.on(this.#consumer.events.FETCH, () => {
      quietFetches += 1;
      if (quietFetches >= 3) caughtUp.resolve(undefined);
    });
    try {
      await this.#producer.connect();
      await this.#consumer.connect();
      await this.#consumer.subscribe({ topic: this.#topic, fromBeginning: true });
      await this.#consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          this.#read(message);
          quietFetches = 0;
          read.set(partition, BigInt(message.offset) + 1n);
          check();
          await Promise.resolve();
        },
      });
    } catch (error) {
      throw classifyKafkaError(error, `read the config topic ${this.#topic}`);
    }
    await caughtUp.promise;
    this.#listener = listener;
    return [...this.#configs].map(([name, config]) => ({
      name,
      config,
      target: this.#targets.get(name) ?? 'RUNNING',
    }));
  }

  putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<void> {
    return this.#write(`connector-${name}`, { properties: config });
  }

  putTarget(name: string, target: ConfigTopicState): Promise<void> {
    return this.#write(`target-state-${name}`, { state: target });
  }

  requestRestart(name: string, onlyFailed: boolean): Promise<void> {
    return this.#write(`restart-${name}`, { onlyFailed, id: randomUUID() });
  }

  async remove(name: string): Promise<void> {
    await this.#write(`target-state-${name}`, null);
    await this.#write(`connector-${name}`, null);
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.#producer.disconnect();
  }

  async #endOffsets(): Promise<Map<number, bigint>> {
    const admin = this.#kafka.admin();
    try {
      await admin.connect();
      const topics = await admin.listTopics();
      if (!topics.includes(this.#topic)) {
        throw new KafkaUnknownTopicError(
          `the config topic ${this.#topic} does not exist: create it with one partition and cleanup.policy=compact ` +
            '(on Event Hubs: an event hub with log compaction), or set cluster.config.topic',
        );
      }
      const offsets = await admin.fetchTopicOffsets(this.#topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } catch (error) {
      throw error instanceof KafkaUnknownTopicError
        ? error
        : classifyKafkaError(error, `read the config topic ${this.#topic}`);
    } finally {
      await admin.disconnect();
    }
  }

  async #write(key: string, value: object | null): Promise<void> {
    try {
      await this.#producer.send({
        topic: this.#topic,
        acks: -1,
        messages: [{ key, value: value === null ? null : JSON.stringify(value) }],
      });
    } catch (error) {
      throw classifyKafkaError(error, `write to the config topic ${this.#topic}`);
    }
  }

  #read(message: KafkaMessage): void {
    const key = message.key?.toString('utf8') ?? '';
    const change = this.#decode(key, message.value);
    if (change === undefined) {
      this.#logger.warn({ key }, 'config topic record not understood; ignored');
      return;
    }
    if (change.kind === 'config') this.#configs.set(change.name, change.config);
    if (change.kind === 'target') this.#targets.set(change.name, change.target);
    if (change.kind === 'deleted') {
      this.#configs.delete(change.name);
      this.#targets.delete(change.name);
    }
    // Restart requests read while catching up are history, not requests.
    if (this.#listener !== undefined) this.#listener(change);
  }

  #decode(key: string, value: Buffer | null): ConfigTopicChange | undefined {
    const [prefix, name] = splitKey(key);
    if (name === '') return undefined;
    if (value === null) return prefix === 'connector' ? { kind: 'deleted', name } : undefined;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (prefix === 'connector' && typeof body.properties === 'object' && body.properties !== null) {
      return { kind: 'config', name, config: body.properties as Record<string, unknown> };
    }
    if (prefix === 'target-state' && typeof body.state === 'string' && STATES.has(body.state)) {
      return { kind: 'target', name, target: body.state as ConfigTopicState };
    }
    if (prefix === 'restart') return { kind: 'restart', name, onlyFailed: body.onlyFailed === true };
    return undefined;
  }
}

function splitKey(key: string): [string, string] {
  for (const prefix of ['target-state', 'connector', 'restart']) {
    if (key.startsWith(`${prefix}-`)) return [prefix, key.slice(prefix.length + 1)];
  }
  return ['', ''];
}
