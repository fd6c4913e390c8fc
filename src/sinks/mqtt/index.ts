/**
 * The `mqtt` sink: mqtt.js at QoS 1 to Solace's MQTT service or any MQTT broker, with the topics and messages of
 * `../topic/` (the same as the `solace` sink's).
 * @module
 */
export { mqttSpec } from './spec.ts';
export { MqttSink, type MqttSinkOptions } from './sink.ts';
export { mqttSinkSchema, type MqttSinkConfig } from './config.ts';
export {
  MqttAuthError,
  MqttRefusedError,
  MqttConnectionError,
  MqttRejectedError,
  MqttPublishFailedError,
} from './errors.ts';
