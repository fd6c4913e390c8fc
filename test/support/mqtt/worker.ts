/**
 * Runs logbridge in-process for the `mqtt` sink's integration tests: a `Worker` (as `logbridge run` builds it) with
 * one connector from the real Kafka broker to an MQTT broker, topics from the seed hierarchy.
 */
import { pino } from 'pino';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import type { Connector } from '../../../src/engine/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import type { KafkaCoordinates } from '../kafka/coordinates.ts';
import { SEED_TEMPLATE } from './k8s-records.ts';

/** A running worker with its connector. */
export interface MqttWorker {
  readonly worker: Worker;
  readonly connector: Connector;
  /** The consumer group: `logbridge-<name>`. */
  readonly group: string;
  /** A counter or gauge of the worker's registry, summed over its label sets. */
  readonly metric: (name: string) => Promise<number>;
}

/** Options of {@link startMqttWorker}. */
export interface MqttWorkerOptions {
  readonly kafka: KafkaCoordinates;
  readonly topic: string;
  readonly name: string;
  readonly mqttUrl: string;
  /** Further connector keys. */
  readonly config?: Readonly<Record<string, string>>;
}

/** Starts a worker running one `kafka → mqtt` connector. */
export async function startMqttWorker(options: MqttWorkerOptions): Promise<MqttWorker> {
  const worker = new Worker(loadWorkerConfig(undefined, {}), pino({ level: 'error' }));
  const connector = await worker.start({
    name: options.name,
    config: {
      topics: options.topic,
      'kafka.bootstrap.servers': options.kafka.bootstrap,
      sinks: 'mqtt',
      'mqtt.url': options.mqttUrl,
      'mqtt.topic': SEED_TEMPLATE,
      'mqtt.client.id': `${options.name}-publisher`,
      'offset.flush.interval.ms': '250',
      ...options.config,
    },
  });
  return {
    worker,
    connector,
    group: `logbridge-${options.name}`,
    metric: async (name) => {
      const found = await worker.registry.getSingleMetric(name)?.get();
      return (found?.values ?? []).reduce((sum, v) => sum + v.value, 0);
    },
  };
}
