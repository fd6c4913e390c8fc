/**
 * The `mqtt` sink type for the registry.
 * @module
 */
import { parseOptions } from '../../config/index.ts';
import type { SinkSpec } from '../spec.ts';
import { publisherMetrics } from '../topic/index.ts';
import { type MqttSinkConfig, mqttSinkConfigFrom, mqttSinkSchema } from './config.ts';
import { MqttSink } from './sink.ts';

/** MQTT (mqtt.js, QoS 1) to Solace's MQTT service or any MQTT broker. */
export const mqttSpec: SinkSpec<MqttSinkConfig> = {
  type: 'mqtt',
  schema: mqttSinkSchema,
  validate(properties, context) {
    const { values, issues } = parseOptions(mqttSinkSchema, properties, context.path);
    if (issues.length > 0) return { issues };
    const built = mqttSinkConfigFrom(values, context.connector, context.path);
    return built.config === undefined ? { issues: built.issues } : { config: built.config, issues: [] };
  },
  create(config, context, deps) {
    if (!config.tls.validateCertificate) {
      deps.logger.warn('mqtt.ssl.validate.certs=false: the broker certificate is not verified');
    }
    return new MqttSink({
      config,
      metrics: publisherMetrics(deps.registry, 'mqtt', { connector: context.connector, sink: 'mqtt' }),
      logger: deps.logger,
    });
  },
};
