/**
 * The `solace` sink: events encoded as messages (topic, Buffer payload, `k_*` user properties) and published on a
 * solclientjs session by the {@link Publisher}; a batch is delivered once every message of it is acknowledged
 * (persistent delivery), so the checkpoint never passes a message the broker has not spooled.
 * @module
 */
import type { Logger } from 'pino';
import {
  asBridgeError,
  type BatchPolicy,
  type Encoded,
  type LogEvent,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type SinkHealth,
  StoppingError,
} from '../../engine/index.ts';
import {
  batchOutcome,
  createMessageEncoder,
  type OutboundMessage,
  type PublisherMetrics,
} from '../topic/index.ts';
import { Publisher } from './publisher.ts';
import type { SessionFactory } from './session.ts';
import type { SolaceSinkConfig } from './config.ts';

/** What a `solace` sink is built from. */
export interface SolaceSinkOptions {
  readonly config: SolaceSinkConfig;
  /** Loads the library; called once, on the first `connect` (solclientjs: `loadSolclient`). */
  readonly loadFactory: () => Promise<SessionFactory>;
  readonly metrics: PublisherMetrics;
  readonly logger: Logger;
  /** Default `solace`. */
  readonly id?: string;
}

/** Publishes events to Solace PubSub+ topics. */
export class SolaceSink implements Sink<OutboundMessage> {
  readonly id: string;
  readonly batch: BatchPolicy;
  readonly maxInFlight: number;
  readonly ordered = true;
  readonly encode: (event: LogEvent) => Encoded<OutboundMessage>;
  readonly #options: SolaceSinkOptions;
  #publisher: Publisher | undefined;
  #removeSampler: (() => void) | undefined;

  constructor(options: SolaceSinkOptions) {
    const { config } = options;
    this.id = options.id ?? 'solace';
    this.#options = options;
    this.batch = {
      maxEvents: config.maxBatchMessages,
      maxBytes: config.maxBatchBytes,
      lingerMs: config.lingerMs,
    };
    this.maxInFlight = config.maxInFlightBatches;
    this.encode = createMessageEncoder(config.message);
  }

  /** Loads solclientjs (first call) and resolves once a session is up. */
  async connect(signal: AbortSignal): Promise<void> {
    await this.#ready(signal);
  }

  /**
   * Queues the batch on the publisher; on an up session synchronously, so that batches keep the order of the calls.
   * Without a session, opens one first: its failure is the outcome (retry, or fatal for a refused login).
   */
  async send(batch: SinkBatch<OutboundMessage>, signal: AbortSignal): Promise<SendOutcome> {
    let publisher = this.#publisher;
    if (publisher?.up !== true) {
      try {
        publisher = await this.#ready(signal);
      } catch (error) {
        const cause = asBridgeError(error);
        return cause.disposition === 'fatal' ? { kind: 'fatal', cause } : { kind: 'retry', cause };
      }
    }
    return batchOutcome(await publisher.publish(batch.payloads, signal));
  }

  async close(drainDeadlineMs: number): Promise<void> {
    await this.#publisher?.close(drainDeadlineMs);
    this.#removeSampler?.();
  }

  health(): SinkHealth {
    const publisher = this.#publisher;
    if (publisher === undefined) return { healthy: false, detail: 'not connected yet' };
    if (publisher.up) {
      return publisher.windowFull
        ? { healthy: true, detail: `publish window full, ${publisher.waiting} messages waiting` }
        : { healthy: true };
    }
    const why = publisher.lastError?.message ?? 'connecting or reconnecting';
    return { healthy: false, detail: `no Solace session: ${why}` };
  }

  async #ready(signal: AbortSignal): Promise<Publisher> {
    this.#publisher ??= this.#create(await this.#options.loadFactory());
    if (signal.aborted) throw new StoppingError('the connector is stopping');
    await this.#publisher.ready(signal);
    return this.#publisher;
  }

  #create(factory: SessionFactory): Publisher {
    if (this.#publisher !== undefined) return this.#publisher;
    const { config, metrics, logger } = this.#options;
    if (config.mode === 'direct') {
      logger.warn('sol.delivery_mode=DIRECT: at-most-once, events lost on the way are not retried');
    }
    const publisher = new Publisher({
      factory,
      settings: config.session,
      mode: config.mode,
      sendTimeoutMs: config.sendTimeoutMs,
      metrics,
      logger,
    });
    this.#removeSampler = metrics.sampleInFlight(() => publisher.unacknowledged);
    return publisher;
  }
}
