import type { MqttSinkConfig } from '../../../../src/sinks/mqtt/config.ts';
import { mqttSpec } from '../../../../src/sinks/mqtt/spec.ts';
import { SEED_TOPIC } from '../solace/config.ts';

const context = { connector: 'test', topics: ['logs'], path: 'config' };

/** A validated `mqtt` sink configuration. */
export function mqttConfig(properties: Record<string, string>): MqttSinkConfig {
  const { config, issues } = mqttSpec.validate({ 'mqtt.topic': SEED_TOPIC, ...properties }, context);
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return config;
}
