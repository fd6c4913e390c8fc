/**
 * An MQTT 5 subscriber for the `mqtt` sink's tests: subscribes to one filter at QoS 1 and records every message
 * with its topic, the body's `seq` and the `k_*` user properties.
 */
import { connectAsync, type MqttClient } from 'mqtt';

/** One received message. */
export interface Received {
  readonly topic: string;
  readonly seq: number;
  readonly kTopic: string | undefined;
  readonly kPartition: string | undefined;
  readonly kOffset: string | undefined;
}

/** Options of {@link Subscriber.start}. */
export interface SubscriberOptions {
  readonly clientId: string;
  /** Keep the session (and what is queued for it) across reconnects and broker restarts. @default false */
  readonly persistent?: boolean;
  readonly username?: string;
  readonly password?: string;
}

/** A subscriber to one topic filter. */
export class Subscriber {
  readonly filter: string;
  readonly received: Received[] = [];
  readonly #client: MqttClient;

  private constructor(filter: string, client: MqttClient) {
    this.filter = filter;
    this.#client = client;
    client.on('message', (topic, payload, packet) => {
      const properties = packet.properties?.userProperties ?? {};
      const text = (name: string): string | undefined => {
        const value = properties[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const body = JSON.parse(payload.toString('utf8')) as { seq: number };
      this.received.push({
        topic,
        seq: body.seq,
        kTopic: text('k_topic'),
        kPartition: text('k_partition'),
        kOffset: text('k_offset'),
      });
    });
  }

  /** Connects (reconnecting every 100 ms when the broker goes away) and subscribes at QoS 1. */
  static async start(url: string, filter: string, options: SubscriberOptions): Promise<Subscriber> {
    const persistent = options.persistent === true;
    const client = await connectAsync(url, {
      clientId: options.clientId,
      protocolVersion: 5,
      clean: !persistent,
      reconnectPeriod: 100,
      ...(persistent ? { properties: { sessionExpiryInterval: 3600 } } : {}),
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    const subscriber = new Subscriber(filter, client);
    await client.subscribeAsync(filter, { qos: 1 });
    return subscriber;
  }

  /** The distinct `seq` values received, ascending. */
  seqs(): number[] {
    return [...new Set(this.received.map((r) => r.seq))].sort((a, b) => a - b);
  }

  /** Messages received more than once. */
  duplicates(): number {
    return this.received.length - new Set(this.received.map((r) => r.seq)).size;
  }

  async close(): Promise<void> {
    await this.#client.endAsync(true);
  }
}
