/**
 * The mqtt.js client options of a sink's settings: session, timers, credentials and TLS files.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { MqttSinkConfig } from './config.ts';
import { MqttRefusedError } from './errors.ts';

/**
 * Options for `mqtt.connect(config.url, …)`.
 * @throws MqttRefusedError when a TLS file cannot be read.
 */
export function clientOptions(config: MqttSinkConfig): IClientOptions {
  const options: IClientOptions = {
    clientId: config.clientId,
    clean: config.cleanSession,
    protocolVersion: config.protocolVersion,
    keepalive: config.keepaliveSeconds,
    connectTimeout: config.connectTimeoutMs,
    reconnectPeriod: config.reconnectPeriodMs,
    resubscribe: false,
    queueQoSZero: false,
    rejectUnauthorized: config.tls.validateCertificate,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password.reveal() }),
    ...(config.protocolVersion === 5 && !config.cleanSession
      ? { properties: { sessionExpiryInterval: config.sessionExpirySeconds } }
      : {}),
  };
  const { caFile, certificateFile, keyFile } = config.tls;
  if (caFile !== undefined) options.ca = readPem(caFile, 'mqtt.ssl.ca.location');
  if (certificateFile !== undefined) options.cert = readPem(certificateFile, 'mqtt.ssl.certificate.location');
  if (keyFile !== undefined) options.key = readPem(keyFile, 'mqtt.ssl.key.location');
  return options;
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new MqttRefusedError(`cannot read ${key} (${file}): ${(error as Error).message}`, { cause: error });
  }
}
