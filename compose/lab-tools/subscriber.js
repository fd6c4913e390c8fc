/**
 * The lab stack's subscriber: prints every message published under an SMF-style subscription (`acme/*\/payment-api/>`
 * by default), received over Solace's MQTT service, one line each with the Kafka coordinates logbridge attached
 * (user properties k_topic, k_partition, k_offset). It shows that topics alone select what a consumer gets, whatever
 * protocol published the message (logbridge publishes over SMF).
 *
 *   SUBSCRIPTION='acme/*\/payment-api/>' MQTT_URL=mqtt://solace:1883 MQTT_USERNAME=subscriber \
 *   MQTT_PASSWORD_FILE=/run/secrets/subscriber-password node compose/lab-tools/subscriber.js
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { connect } from 'mqtt';

const PREVIEW_CHARS = 160;

/** SMF wildcards to MQTT's: `*` (a whole level) is `+`, a final `>` is `#`; prefix wildcards (`app*`) have none. */
function smfToMqtt(subscription) {
  const levels = subscription.split('/');
  return levels
    .map((level, index) => {
      if (level === '*') return '+';
      if (level === '>' && index === levels.length - 1) return '#';
      if (/[*>+#]/.test(level)) {
        throw new Error(`level "${level}" of ${subscription} has no MQTT equivalent (use * or a final >)`);
      }
      return level;
    })
    .join('/');
}

/** One printed line: time, topic, Kafka coordinates, the start of the payload. */
function describe(topic, payload, userProperties = {}) {
  const coordinates = ['k_topic', 'k_partition', 'k_offset']
    .filter((name) => userProperties[name] !== undefined)
    .map((name) => `${name}=${String(userProperties[name])}`)
    .join(' ');
  const text = payload.toString('utf8').replace(/\s+/g, ' ');
  const preview = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return `${new Date().toISOString()} ${topic} ${coordinates} ${preview}`.replace(/ {2,}/g, ' ');
}

function main() {
  const subscription = process.env.SUBSCRIPTION ?? 'acme/*/payment-api/>';
  const filter = smfToMqtt(subscription);
  const passwordFile = process.env.MQTT_PASSWORD_FILE;
  const client = connect(process.env.MQTT_URL ?? 'mqtt://solace:1883', {
    protocolVersion: 5,
    clientId: `lab-subscriber-${randomBytes(4).toString('hex')}`,
    username: process.env.MQTT_USERNAME,
    password:
      passwordFile === undefined ? process.env.MQTT_PASSWORD : readFileSync(passwordFile, 'utf8').trim(),
    clean: true,
    reconnectPeriod: 2000,
  });
  client.on('connect', () => {
    client.subscribe(filter, { qos: 0 }, (error) => {
      if (error) process.stderr.write(`subscribe ${filter} failed: ${error.message}\n`);
      else process.stdout.write(`subscribed to ${subscription} (MQTT ${filter})\n`);
    });
  });
  client.on('message', (topic, payload, packet) => {
    process.stdout.write(`${describe(topic, payload, packet.properties?.userProperties)}\n`);
  });
  client.on('error', (error) => {
    process.stderr.write(`mqtt: ${error.message}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      client.end(false, {}, () => process.exit(0));
    });
  }
}

main();
