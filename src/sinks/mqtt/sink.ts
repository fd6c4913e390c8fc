/**
 * The `mqtt` sink: the same messages as the `solace` sink (topic builder, Buffer payload, `k_*` properties as MQTT 5
 * user properties) published at QoS 1 by {@link MqttPublisher}; a batch is delivered once every PUBLISH of it has
 * its PUBACK, so the checkpoint never passes a message the broker has not accepted. The sink is ordered: batches are
 * queued in the order of `send` calls and a lost connection neither fails nor reorders them (see publisher.ts).
 * @module
 */
import type { Logger } from 'pino';
import {
  type BatchPolicy,
  type Encoded,
  type LogEvent,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type SinkHealth,
} from '../../engine/index.ts';
import {
  batchOutcome,
  createMessageEncoder,
  type OutboundMessage,
  type PublisherMetrics,
} from '../topic/index.ts';
import type { MqttSinkConfig } from './config.ts';
import { MqttPublisher } from './publisher.ts';

/** What an `mqtt` sink is built from. */
export interface MqttSinkOptions {
  readonly config: MqttSinkConfig;
  readonly metrics: PublisherMetrics;
  readonly logger: Logger;
  /** Default `mqtt`. */
  readonly id?: string;
}

/** Publishes events to MQTT topics at QoS 1. */
export class MqttSink implements Sink<OutboundMessage> {
  readonly id: string;
  readonly batch: BatchPolicy;
  readonly maxInFlight: number;
  readonly ordered = true;
  readonly encode: (event: LogEvent) => Encoded<OutboundMessage>;
  readonly #publisher: MqttPublisher;
  readonly #removeSampler: () => void;

  constructor(options: MqttSinkOptions) {
    const { config, metrics, logger } = options;
    this.id = options.id ?? 'mqtt';
    this.batch = {
      maxEvents: config.maxBatchMessages,
      maxBytes: config.maxBatchBytes,
      lingerMs: config.lingerMs,
    };
    this.maxInFlight = config.maxInFlightBatches;
    this.encode = createMessageEncoder(config.message);
    const publisher = new MqttPublisher({ config, metrics, logger });
    this.#publisher = publisher;
    this.#removeSampler = metrics.sampleInFlight(() => publisher.inFlight);
  }

  /** Creates the client on first use and resolves once connected. */
  async connect(signal: AbortSignal): Promise<void> {
    await this.#publisher.ready(signal);
  }

  /**
   * Queues the batch at once, connected or not (so that batches keep the order of the calls); it settles when every
   * message has its PUBACK. A broker that is down makes it wait, never fail: the sink reports itself unhealthy.
   */
  async send(batch: SinkBatch<OutboundMessage>, signal: AbortSignal): Promise<SendOutcome> {
    return batchOutcome(await this.#publisher.publish(batch.payloads, signal));
  }

  async close(drainDeadlineMs: number): Promise<void> {
    await this.#publisher.close(drainDeadlineMs);
    this.#removeSampler();
  }

  health(): SinkHealth {
    const { connected, lastError, inFlight } = this.#publisher;
    if (connected && lastError === undefined) return { healthy: true };
    const detail = connected
      ? (lastError?.message ?? '')
      : `no MQTT connection (${inFlight} messages unacknowledged): ${lastError?.message ?? 'connecting'}`;
    return { healthy: false, detail, ...(lastError === undefined ? {} : { error: lastError }) };
  }
}
