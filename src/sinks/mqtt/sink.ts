/**
 * The `mqtt` sink: the same messages as the `solace` sink (topic builder, Buffer payload, `k_*` properties as MQTT 5
 * user properties) published at QoS 1 by {@link MqttPublisher}; a batch is delivered once every PUBLISH of it has
 * its PUBACK, so the checkpoint never passes a message the broker has not accepted.
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
   * Waits for the connection before handing the batch over (a broker that stays down gives `retry`); once handed
   * over, messages are not given up on a connection loss: mqtt.js resends them after the reconnect.
   */
  async send(batch: SinkBatch<OutboundMessage>, signal: AbortSignal): Promise<SendOutcome> {
    try {
      await this.#publisher.ready(signal);
    } catch (error) {
      const cause = asBridgeError(error);
      return cause.disposition === 'fatal' ? { kind: 'fatal', cause } : { kind: 'retry', cause };
    }
    return batchOutcome(await this.#publisher.publish(batch.payloads, signal));
  }

  async close(drainDeadlineMs: number): Promise<void> {
    await this.#publisher.close(drainDeadlineMs);
    this.#removeSampler();
  }

  health(): SinkHealth {
    if (this.#publisher.connected) return { healthy: true };
    const why = this.#publisher.lastError?.message ?? 'connecting';
    return { healthy: false, detail: `no MQTT connection: ${why}` };
  }
}
