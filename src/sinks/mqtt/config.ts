/**
 * Settings of the `mqtt` sink (mqtt.js, QoS 1) for Solace's MQTT service or any MQTT broker. Topic keys keep
 * fluentd's MQTT output names (`topic_rewrite_pattern`, `topic_rewrite_replacement`); docs/sinks/solace.md lists
 * every key.
 * @module
 */
import { hostname } from 'node:os';
import { type ConfigIssue, defineSchema, type Secret, type Values } from '../../config/index.ts';
import { type EncoderSettings, type MessageValues, messageSettingsFrom } from '../topic/index.ts';

/** Settings of one `mqtt` sink. */
export interface MqttSinkConfig {
  readonly url: string;
  readonly username: string | undefined;
  readonly password: Secret | undefined;
  readonly clientId: string;
  readonly protocolVersion: 4 | 5;
  readonly cleanSession: boolean;
  readonly sessionExpirySeconds: number;
  readonly keepaliveSeconds: number;
  readonly connectTimeoutMs: number;
  readonly reconnectPeriodMs: number;
  /** PUBLISH packets sent and not yet acknowledged (lowered to the broker's v5 Receive Maximum). */
  readonly maxInFlightMessages: number;
  /** How long a PUBLISH may wait for its PUBACK while connected before the connection is dropped and it is resent. */
  readonly sendTimeoutMs: number;
  readonly tls: {
    readonly caFile: string | undefined;
    readonly certificateFile: string | undefined;
    readonly keyFile: string | undefined;
    readonly validateCertificate: boolean;
  };
  readonly message: EncoderSettings;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly maxInFlightBatches: number;
}

/** Connector keys of the `mqtt` sink. */
export const mqttSinkSchema = defineSchema({
  'mqtt.url': {
    type: 'string',
    required: true,
    destination: { kind: 'url', credentialsIn: 'put them in mqtt.username and mqtt.password' },
    doc: 'Broker URL: mqtt://host:1883, mqtts://host:8883, ws://…, wss://….',
  },
  'mqtt.username': { type: 'string', doc: 'User name (Solace: the client username).' },
  'mqtt.password': { type: 'string', sensitive: true, doc: 'Password.' },
  'mqtt.client.id': {
    type: 'string',
    doc: 'Client id, stable for the process so that a reconnect resumes the session. Default logbridge-<connector>-<host name>; unique per replica.',
  },
  'mqtt.protocol.version': {
    type: 'enum',
    values: ['5', '3.1.1'],
    default: '5',
    doc: '5: user properties carry k_topic, k_partition, k_offset. 3.1.1 has no user properties.',
  },
  'mqtt.clean.session': {
    type: 'bool',
    default: false,
    doc: 'false: the broker keeps the session across reconnects and unacknowledged PUBLISH packets are resent.',
  },
  'mqtt.session.expiry.interval.s': {
    type: 'int',
    min: 0,
    default: 3600,
    doc: 'MQTT 5 session expiry after a disconnect, seconds (with mqtt.clean.session=false).',
  },
  'mqtt.keepalive.s': { type: 'int', min: 0, default: 30, doc: 'Keep-alive, seconds.' },
  'mqtt.connect.timeout.ms': { type: 'int', min: 100, default: 10000, doc: 'Wait for CONNACK, ms.' },
  'mqtt.reconnect.period.ms': { type: 'int', min: 100, default: 1000, doc: 'Wait between reconnects, ms.' },
  'mqtt.max.inflight.messages': {
    type: 'int',
    min: 1,
    max: 65535,
    default: 1000,
    doc: "PUBLISH packets awaiting PUBACK; lowered to the broker's Receive Maximum (MQTT 5).",
  },
  'mqtt.send.timeout.ms': {
    type: 'int',
    min: 100,
    default: 30000,
    doc: 'How long a PUBLISH may wait for its PUBACK while connected, ms; then the sink reports it, drops the connection and resends what is unacknowledged.',
  },
  'mqtt.ssl.ca.location': {
    type: 'string',
    file: true,
    doc: 'PEM file of CA certificates to trust (mqtts://, wss://).',
  },
  'mqtt.ssl.certificate.location': { type: 'string', file: true, doc: 'PEM file of a client certificate.' },
  'mqtt.ssl.key.location': { type: 'string', file: true, doc: 'PEM file of the client private key.' },
  'mqtt.ssl.validate.certs': { type: 'bool', default: true, doc: 'Verify the broker certificate.' },
  'mqtt.topic': {
    type: 'string',
    required: true,
    doc: 'Topic template, e.g. acme/${kubernetes.cluster:-unknown}/…; a route transform that sets a topic wins.',
  },
  'mqtt.topic_rewrite_pattern': { type: 'string', doc: 'Regex applied to the topic (every match replaced).' },
  'mqtt.topic_rewrite_replacement': {
    type: 'string',
    default: '',
    doc: 'Replacement for matches, $1… for groups.',
  },
  'mqtt.max.message.bytes': {
    type: 'int',
    min: 1024,
    default: 10000000,
    doc: "Largest message (payload, topic, user properties), bytes; larger events are dead-lettered. Keep it under the broker's limit.",
  },
  'mqtt.user.properties': {
    type: 'list',
    default: [],
    doc: 'Further MQTT 5 user properties, comma-separated name=template (empty values are left out).',
  },
  'mqtt.emit.kafka.record.headers.enabled': {
    type: 'bool',
    default: false,
    doc: 'Add each Kafka record header as an MQTT 5 user property.',
  },
  'mqtt.batch.max.messages': { type: 'int', min: 1, default: 500, doc: 'Messages per batch.' },
  'mqtt.batch.max.bytes': { type: 'int', min: 1024, default: 4194304, doc: 'Encoded bytes per batch.' },
  'mqtt.batch.linger.ms': {
    type: 'int',
    min: 0,
    default: 50,
    doc: 'How long a batch waits for more events, ms.',
  },
  'mqtt.max.inflight.batches': {
    type: 'int',
    min: 1,
    default: 8,
    doc: 'Batches being published at once; their PUBLISH packets share mqtt.max.inflight.messages.',
  },
});

const URL_SCHEME = /^(?:mqtts?|wss?|tcp|ssl):\/\/[^/]+/;

/** Builds the sink settings; reports every problem with its key. */
export function mqttSinkConfigFrom(
  values: Values<typeof mqttSinkSchema>,
  connector: string,
  path: string,
): { config?: MqttSinkConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (!URL_SCHEME.test(values['mqtt.url'])) {
    issues.push({
      path: `${path}.mqtt.url`,
      message: `"${values['mqtt.url']}" must be a URL such as mqtt://broker:1883`,
    });
  }
  const v5 = values['mqtt.protocol.version'] === '5';
  const message = messageSettingsFrom(messageValues(values, v5), path);
  issues.push(...message.issues);
  if (!v5 && values['mqtt.user.properties'].length > 0) {
    issues.push({
      path: `${path}.mqtt.user.properties`,
      message: 'needs mqtt.protocol.version=5 (3.1.1 has none)',
    });
  }
  if (issues.length > 0 || message.settings === undefined) return { issues };
  return { config: configOf(values, connector, message.settings), issues };
}

function configOf(
  values: Values<typeof mqttSinkSchema>,
  connector: string,
  message: EncoderSettings,
): MqttSinkConfig {
  return {
    url: values['mqtt.url'],
    username: values['mqtt.username'],
    password: values['mqtt.password'],
    clientId: values['mqtt.client.id'] ?? `logbridge-${connector}-${hostname()}`.slice(0, 128),
    protocolVersion: values['mqtt.protocol.version'] === '5' ? 5 : 4,
    cleanSession: values['mqtt.clean.session'],
    sessionExpirySeconds: values['mqtt.session.expiry.interval.s'],
    keepaliveSeconds: values['mqtt.keepalive.s'],
    connectTimeoutMs: values['mqtt.connect.timeout.ms'],
    reconnectPeriodMs: values['mqtt.reconnect.period.ms'],
    maxInFlightMessages: values['mqtt.max.inflight.messages'],
    sendTimeoutMs: values['mqtt.send.timeout.ms'],
    tls: {
      caFile: values['mqtt.ssl.ca.location'],
      certificateFile: values['mqtt.ssl.certificate.location'],
      keyFile: values['mqtt.ssl.key.location'],
      validateCertificate: values['mqtt.ssl.validate.certs'],
    },
    message,
    maxBatchMessages: values['mqtt.batch.max.messages'],
    maxBatchBytes: values['mqtt.batch.max.bytes'],
    lingerMs: values['mqtt.batch.linger.ms'],
    maxInFlightBatches: values['mqtt.max.inflight.batches'],
  };
}

function messageValues(values: Values<typeof mqttSinkSchema>, v5: boolean): MessageValues {
  return {
    keys: {
      topic: 'mqtt.topic',
      rewritePattern: 'mqtt.topic_rewrite_pattern',
      maxMessageBytes: 'mqtt.max.message.bytes',
      userProperties: 'mqtt.user.properties',
    },
    topic: values['mqtt.topic'],
    rewritePattern: values['mqtt.topic_rewrite_pattern'],
    rewriteReplacement: values['mqtt.topic_rewrite_replacement'],
    maxMessageBytes: values['mqtt.max.message.bytes'],
    userProperties: v5 ? values['mqtt.user.properties'] : [],
    emitHeaders: v5 && values['mqtt.emit.kafka.record.headers.enabled'],
    offsetType: 'string',
  };
}
