/**
 * Settings of the `solace` sink. Keys follow the Solace PubSub+ Kafka sink connector where it has one (`sol.host`,
 * `sol.vpn_name`, `sol.username`, `sol.password`, `sol.client_name`, `sol.ssl_*`, `sol.channel_properties.*`,
 * `sol.publisher_window_size`, `sol.pub_ack_time`, `sol.emit.kafka.record.headers.enabled`); docs/sinks/solace.md
 * lists every key.
 * @module
 */
import { type ConfigIssue, defineSchema, type Values } from '../../config/index.ts';
import { type EncoderSettings, type MessageValues, messageSettingsFrom } from '../topic/index.ts';
import { sessionLimitIssues } from './limits.ts';
import type { DeliveryMode, SessionSettings } from './session.ts';

/** Settings of one `solace` sink. */
export interface SolaceSinkConfig {
  readonly session: SessionSettings;
  readonly mode: DeliveryMode;
  readonly message: EncoderSettings;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly maxInFlightBatches: number;
  /** How long a message may wait for its acknowledgement on an up session before it is sent again, ms. */
  readonly sendTimeoutMs: number;
}

const URL_SCHEME = /^(?:tcps?|wss?|https?):\/\/[^/]+/;

/** Connector keys of the `solace` sink. */
export const solaceSinkSchema = defineSchema({
  'sol.host': {
    type: 'list',
    required: true,
    destination: { kind: 'url', credentialsIn: 'put them in sol.username and sol.password' },
    doc: 'Broker URLs, comma-separated, tried in order: tcp://host:55555, tcps://host:55443 (also ws://, wss://).',
  },
  'sol.vpn_name': { type: 'string', default: 'default', doc: 'Message VPN (≤ 32 characters).' },
  'sol.username': { type: 'string', default: 'default', doc: 'Client username (≤ 189 characters).' },
  'sol.password': {
    type: 'string',
    default: '',
    sensitive: true,
    doc: 'Client password (≤ 128 characters).',
  },
  'sol.client_name': {
    type: 'string',
    default: '',
    doc: 'Client name, unique per VPN (≤ 160 characters and bytes, no empty level). Empty: the library generates a unique one per session.',
  },
  'sol.authentication_scheme': {
    type: 'enum',
    values: ['AUTHENTICATION_SCHEME_BASIC', 'AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE'],
    default: 'AUTHENTICATION_SCHEME_BASIC',
    doc: 'BASIC: username and password; CLIENT_CERTIFICATE: sol.ssl_certificate and sol.ssl_private_key (tcps://).',
  },
  'sol.ssl_validate_certificate': {
    type: 'bool',
    default: true,
    doc: 'Verify the broker certificate (tcps://).',
  },
  'sol.ssl_trust_store': {
    type: 'list',
    file: true,
    default: [],
    doc: 'PEM files of trusted CA certificates, comma-separated (not a JKS file). Empty: well-known root CAs.',
  },
  'sol.ssl_trusted_common_name_list': {
    type: 'list',
    default: [],
    doc: 'Acceptable broker certificate common names, replacing host name validation.',
  },
  'sol.ssl_certificate': {
    type: 'string',
    file: true,
    doc: 'PEM file of the client certificate (client-certificate login).',
  },
  'sol.ssl_private_key': { type: 'string', file: true, doc: 'PEM file of the client private key.' },
  'sol.ssl_private_key_password': {
    type: 'string',
    sensitive: true,
    doc: 'Password of the client private key.',
  },
  'sol.ssl_cipher_suites': {
    type: 'string',
    doc: 'Cipher suites for TLS ≤ 1.2, comma-separated, by preference.',
  },
  'sol.channel_properties.connect_timeout_in_millis': {
    type: 'int',
    min: 1,
    default: 10000,
    doc: 'Connect timeout per host, ms (solclientjs connectTimeoutInMsecs).',
  },
  'sol.channel_properties.connect_retries': {
    type: 'int',
    min: -1,
    default: 0,
    doc: 'Library retries of the first connect (-1: forever). 0: logbridge retries with jittered backoff.',
  },
  'sol.channel_properties.reconnect_retries': {
    type: 'int',
    min: -1,
    default: 3,
    doc: 'Library reconnects after a session is lost, resending in-flight messages; then a new session.',
  },
  'sol.channel_properties.reconnect_retry_wait_in_millis': {
    type: 'int',
    min: 0,
    max: 60000,
    default: 3000,
    doc: 'Wait between the library connect and reconnect attempts, ms (fixed, no jitter).',
  },
  'sol.channel_properties.keep_alive_interval_in_millis': {
    type: 'int',
    min: 1,
    default: 3000,
    doc: 'Keep-alive interval, ms.',
  },
  'sol.channel_properties.keep_alive_limit': {
    type: 'int',
    min: 3,
    default: 3,
    doc: 'Keep-alives without answer before the session is declared down.',
  },
  'sol.channel_properties.send_buffer': {
    type: 'int',
    min: 1024,
    default: 262144,
    doc: 'Transport send buffer, bytes (solclientjs sendBufferMaxSize).',
  },
  'sol.publisher_window_size': {
    type: 'int',
    min: 1,
    max: 255,
    default: 50,
    doc: 'Guaranteed messages sent and not yet acknowledged (the publish window).',
  },
  'sol.pub_ack_time': {
    type: 'int',
    min: 20,
    max: 60000,
    default: 2000,
    doc: 'How long the library waits for an acknowledgement before it retransmits, ms.',
  },
  'sol.send.timeout.ms': {
    type: 'int',
    min: 100,
    default: 30000,
    doc: 'How long a guaranteed message may wait for its acknowledgement on an up session, ms; then the sink reports it, replaces the session and resends what is unacknowledged.',
  },
  'sol.delivery_mode': {
    type: 'enum',
    values: ['PERSISTENT', 'DIRECT'],
    default: 'PERSISTENT',
    doc: 'PERSISTENT: guaranteed, checkpoints wait for the broker acknowledgement. DIRECT: at-most-once (opt-in).',
  },
  'sol.topic': {
    type: 'string',
    required: true,
    doc: 'Topic template, e.g. acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-unknown}/…; a route transform that sets a topic wins.',
  },
  'sol.topic_rewrite_pattern': { type: 'string', doc: 'Regex applied to the topic (every match replaced).' },
  'sol.topic_rewrite_replacement': {
    type: 'string',
    default: '',
    doc: 'Replacement for matches, $1… for groups.',
  },
  'sol.max_message_bytes': {
    type: 'int',
    min: 1024,
    default: 10000000,
    doc: "Largest message (payload, topic, user properties), bytes; larger events are dead-lettered (a queue's default max-msg-size).",
  },
  'sol.k_offset_type': {
    type: 'enum',
    values: ['INT64', 'STRING'],
    default: 'INT64',
    doc: 'SDT type of the k_offset user property: INT64 (the connector convention) or STRING.',
  },
  'sol.user_properties': {
    type: 'list',
    default: [],
    doc: 'Further user properties, comma-separated name=template (string values; empty values are left out).',
  },
  'sol.emit.kafka.record.headers.enabled': {
    type: 'bool',
    default: false,
    doc: 'Add each Kafka record header as a string user property.',
  },
  'sol.batch.max.messages': { type: 'int', min: 1, default: 200, doc: 'Messages per batch.' },
  'sol.batch.max.bytes': { type: 'int', min: 1024, default: 4194304, doc: 'Encoded bytes per batch.' },
  'sol.batch.linger.ms': {
    type: 'int',
    min: 0,
    default: 50,
    doc: 'How long a batch waits for more events, ms.',
  },
  'sol.max.inflight.batches': {
    type: 'int',
    min: 1,
    default: 4,
    doc: 'Batches being published at once; their messages queue for the publish window in order.',
  },
});

/** Builds the sink settings; reports every problem with its key. */
export function solaceSinkConfigFrom(
  values: Values<typeof solaceSinkSchema>,
  path: string,
): { config?: SolaceSinkConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  for (const url of values['sol.host']) {
    if (!URL_SCHEME.test(url) || !URL.canParse(url)) {
      issues.push({ path: `${path}.sol.host`, message: `"${url}" must be a URL such as tcp://broker:55555` });
    }
  }
  const clientCertificate =
    values['sol.authentication_scheme'] === 'AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE';
  if (
    clientCertificate &&
    (values['sol.ssl_certificate'] === undefined || values['sol.ssl_private_key'] === undefined)
  ) {
    issues.push({
      path: `${path}.sol.authentication_scheme`,
      message: 'AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE needs sol.ssl_certificate and sol.ssl_private_key',
    });
  }
  issues.push(...sessionLimitIssues({ ...values, clientCertificate }, path));
  const message = messageSettingsFrom(messageValues(values), path);
  issues.push(...message.issues);
  if (issues.length > 0 || message.settings === undefined) return { issues };
  return {
    config: {
      session: sessionSettings(values, clientCertificate),
      mode: values['sol.delivery_mode'] === 'DIRECT' ? 'direct' : 'persistent',
      message: message.settings,
      maxBatchMessages: values['sol.batch.max.messages'],
      maxBatchBytes: values['sol.batch.max.bytes'],
      lingerMs: values['sol.batch.linger.ms'],
      maxInFlightBatches: values['sol.max.inflight.batches'],
      sendTimeoutMs: values['sol.send.timeout.ms'],
    },
    issues,
  };
}

function sessionSettings(
  values: Values<typeof solaceSinkSchema>,
  clientCertificate: boolean,
): SessionSettings {
  return {
    url: values['sol.host'],
    vpnName: values['sol.vpn_name'],
    userName: values['sol.username'],
    password: values['sol.password'],
    clientName: values['sol.client_name'],
    authenticationScheme: clientCertificate ? 'client-certificate' : 'basic',
    connectTimeoutMs: values['sol.channel_properties.connect_timeout_in_millis'],
    connectRetries: values['sol.channel_properties.connect_retries'],
    reconnectRetries: values['sol.channel_properties.reconnect_retries'],
    reconnectRetryWaitMs: values['sol.channel_properties.reconnect_retry_wait_in_millis'],
    keepAliveIntervalMs: values['sol.channel_properties.keep_alive_interval_in_millis'],
    keepAliveIntervalsLimit: values['sol.channel_properties.keep_alive_limit'],
    sendBufferMaxBytes: values['sol.channel_properties.send_buffer'],
    windowSize: values['sol.publisher_window_size'],
    acknowledgeTimeoutMs: values['sol.pub_ack_time'],
    guaranteed: values['sol.delivery_mode'] !== 'DIRECT',
    tls: {
      validateCertificate: values['sol.ssl_validate_certificate'],
      trustStores: values['sol.ssl_trust_store'],
      trustedCommonNames: values['sol.ssl_trusted_common_name_list'],
      certificate: values['sol.ssl_certificate'],
      privateKey: values['sol.ssl_private_key'],
      privateKeyPassword: values['sol.ssl_private_key_password'],
      cipherSuites: values['sol.ssl_cipher_suites'],
    },
  };
}

function messageValues(values: Values<typeof solaceSinkSchema>): MessageValues {
  return {
    keys: {
      topic: 'sol.topic',
      rewritePattern: 'sol.topic_rewrite_pattern',
      maxMessageBytes: 'sol.max_message_bytes',
      userProperties: 'sol.user_properties',
    },
    topic: values['sol.topic'],
    rewritePattern: values['sol.topic_rewrite_pattern'],
    rewriteReplacement: values['sol.topic_rewrite_replacement'],
    maxMessageBytes: values['sol.max_message_bytes'],
    userProperties: values['sol.user_properties'],
    emitHeaders: values['sol.emit.kafka.record.headers.enabled'],
    offsetType: values['sol.k_offset_type'] === 'STRING' ? 'string' : 'int64',
  };
}
