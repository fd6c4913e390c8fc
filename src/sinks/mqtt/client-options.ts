/**
 * The mqtt.js client options of a sink's settings: session, timers, credentials, TLS files and mqtt.js's logging.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { Logger } from 'pino';
import type { MqttSinkConfig } from './config.ts';
import { MqttRefusedError } from './errors.ts';

/**
 * Options for `mqtt.connect(config.url, …)`.
 * @throws MqttRefusedError when a TLS file cannot be read.
 */
export function clientOptions(config: MqttSinkConfig, logger: Logger): IClientOptions {
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
    log: mqttjsLog(logger),
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

/**
 * mqtt.js's own debug lines, to `logger` at trace. In place of mqtt.js's default, the `debug` package, which costs a
 * call, an argument array and an enabled check per line even when disabled: several lines per PUBLISH and per
 * PUBACK, about 2 % of the publisher's CPU. The lines of mqtt-packet, which mqtt.js writes and parses packets
 * with, still go to `debug`: mqtt.js has no option for them. Objects are left out of the lines: mqtt.js logs whole
 * packets (`_writePacket :: packet: %O`), the CONNECT packet with its password among them.
 */
function mqttjsLog(logger: Logger): (format: unknown, ...args: unknown[]) => void {
  return (format, ...args) => {
    if (!logger.isLevelEnabled('trace')) return;
    const shown = args.map((arg) => (typeof arg === 'object' && arg !== null ? '[object]' : arg));
    logger.trace({ library: 'mqtt.js' }, String(format), ...shown);
  };
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new MqttRefusedError(`cannot read ${key} (${file}): ${(error as Error).message}`, { cause: error });
  }
}
