/**
 * Distributed mode's store: the config topic on the cluster named by the worker settings (`cluster.*`).
 * @module
 */
import type { Logger } from 'pino';
import { parseOptions, type WorkerConfig } from '../config/index.ts';
import {
  createKafka,
  KafkaConfigTopic,
  kafkaSourceConfigFrom,
  kafkaSourceSchema,
} from '../sources/kafka/index.ts';
import type { ConfigStore } from './store.ts';

/**
 * The config topic store for these worker settings.
 * @throws Error when neither a connection string nor bootstrap servers are set.
 */
export function configTopicStore(config: WorkerConfig, logger: Logger): ConfigStore {
  const { cluster } = config;
  if (cluster.eventhubs_connection_string === '' && cluster.bootstrap_servers === '') {
    throw new Error(
      'mode=distributed needs cluster.eventhubs_connection_string (LOGBRIDGE_EVENTHUBS_CONNECTION_STRING) or ' +
        'cluster.bootstrap_servers (LOGBRIDGE_BOOTSTRAP_SERVERS) for the config topic',
    );
  }
  const { values, issues } = parseOptions(
    kafkaSourceSchema,
    {
      topics: cluster.config_topic,
      'eventhubs.connection.string': cluster.eventhubs_connection_string,
      'kafka.bootstrap.servers': cluster.bootstrap_servers,
      'kafka.ssl.ca.location': cluster.ssl_ca_location,
    },
    'cluster',
  );
  if (issues.length > 0) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const settings = kafkaSourceConfigFrom(values, `worker-${config.worker.id}`);
  const child = logger.child({ component: 'config-topic' });
  return new KafkaConfigTopic(createKafka(settings, child), cluster.config_topic, config.worker.id, child);
}
