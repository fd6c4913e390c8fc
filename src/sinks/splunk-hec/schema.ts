/**
 * Connector keys of the Splunk HEC sink. Keys follow Splunk Connect for Kafka (SCK) where it has one, so its users
 * can carry their configs over; new keys carry their unit in the name. docs/sinks/splunk-hec.md documents each one
 * (a unit test checks that every key appears there).
 * @module
 */
import { defineSchema } from '../../config/index.ts';

/** Connector keys of the HEC sink. */
export const hecSinkSchema = defineSchema({
  'splunk.hec.uri': {
    type: 'list',
    required: true,
    destination: { kind: 'url', credentialsIn: 'HEC authenticates with splunk.hec.token alone' },
    doc: 'HEC base URLs, comma-separated (https://idx-1:8088,https://idx-2:8088): round-robin, health-checked.',
  },
  'splunk.hec.token': { type: 'string', required: true, sensitive: true, doc: 'HEC token (a GUID).' },
  'splunk.indexes': {
    type: 'list',
    default: [],
    doc: 'Index per topic, aligned with topics (one value: every topic). Empty: the token default.',
  },
  'splunk.sources': { type: 'list', default: [], doc: 'Source per topic, aligned with topics.' },
  'splunk.sourcetypes': { type: 'list', default: [], doc: 'Sourcetype per topic, aligned with topics.' },
  'splunk.hec.host': { type: 'string', doc: 'Default host of events. Empty: the token default.' },
  'splunk.header.support': {
    type: 'bool',
    default: false,
    doc: 'Take index, source, sourcetype and host from Kafka record headers (named below) when present.',
  },
  'splunk.header.index': { type: 'string', default: 'splunk.header.index', doc: 'Header holding the index.' },
  'splunk.header.source': {
    type: 'string',
    default: 'splunk.header.source',
    doc: 'Header holding the source.',
  },
  'splunk.header.sourcetype': {
    type: 'string',
    default: 'splunk.header.sourcetype',
    doc: 'Header holding the sourcetype.',
  },
  'splunk.header.host': { type: 'string', default: 'splunk.header.host', doc: 'Header holding the host.' },
  'splunk.hec.raw': {
    type: 'bool',
    default: false,
    doc: 'Send to /services/collector/raw (metadata in the query string, Splunk parses the text) instead of /event.',
  },
  'splunk.hec.raw.line.breaker': {
    type: 'string',
    default: '\\n',
    doc: 'Appended after each event in /raw requests (\\n, \\r, \\t escapes allowed); match props.conf LINE_BREAKER.',
  },
  'splunk.hec.use.record.timestamp': {
    type: 'bool',
    default: true,
    doc: 'Set "time" from the event time (the Kafka record timestamp unless a transform set it). false: Splunk decides.',
  },
  'splunk.hec.time.field': {
    type: 'string',
    doc: 'Body field (dotted path) holding the event time: epoch s/ms/µs/ns or an ISO-8601 string. Falls back as above.',
  },
  'splunk.hec.auto.extract.timestamp': {
    type: 'bool',
    default: false,
    doc: 'Omit "time" and ask Splunk 8+ to extract it from the text (?auto_extract_timestamp=true, /event only).',
  },
  'splunk.hec.track.data': {
    type: 'bool',
    default: true,
    doc: 'Add kafka_topic, kafka_partition and kafka_offset indexed fields (find duplicates after a resend).',
  },
  'splunk.hec.json.event.enrichment': {
    type: 'list',
    default: [],
    doc: 'Constant indexed fields added to every event, key=value comma-separated (cluster=prod,env=eu).',
  },
  'splunk.hec.indexed.fields': {
    type: 'list',
    default: [],
    doc: 'Body fields (dotted paths) also sent as indexed fields, as Vector indexed_fields.',
  },
  'splunk.hec.enable.compression': { type: 'bool', default: true, doc: 'gzip request bodies.' },
  'splunk.hec.compression.level': {
    type: 'int',
    min: 1,
    max: 9,
    default: 1,
    doc: 'gzip level: 1 is fastest, and log batches still shrink 5-10 times.',
  },
  'splunk.hec.max.batch.size': { type: 'int', min: 1, default: 1000, doc: 'Events per request at most.' },
  'splunk.hec.max.batch.bytes': {
    type: 'int',
    min: 1024,
    default: 1048576,
    doc: 'Request size before compression at most, bytes (keep near 1 MB; Splunk Cloud limits requests).',
  },
  'splunk.hec.linger.ms': {
    type: 'int',
    min: 0,
    default: 200,
    doc: 'How long a batch waits for more events before it is sent, ms.',
  },
  'splunk.hec.max.inflight.requests': {
    type: 'int',
    min: 1,
    default: 8,
    doc: 'Concurrent requests (and keep-alive connections) per endpoint.',
  },
  'splunk.hec.request.timeout.ms': {
    type: 'int',
    min: 100,
    default: 30000,
    doc: 'Time to wait for a response, ms; then the request is retried on another endpoint.',
  },
  'splunk.hec.max.event.bytes': {
    type: 'int',
    min: 1024,
    default: 5242880,
    doc: 'Largest encoded event, bytes (HEC maxEventSize); larger events are dead-lettered before sending.',
  },
  'splunk.hec.ack.enabled': {
    type: 'bool',
    default: false,
    doc: 'Indexer acknowledgement: a batch counts as delivered only once /ack reports it indexed.',
  },
  'splunk.hec.ack.poll.interval.ms': {
    type: 'int',
    min: 10,
    default: 500,
    doc: 'How often /ack is asked about every pending ack id of a channel, in one request, ms.',
  },
  'splunk.hec.ack.max.pending': {
    type: 'int',
    min: 1,
    default: 64,
    doc: 'Requests awaiting their ack at most, over all endpoints; more waits (backpressure, not memory).',
  },
  'splunk.hec.event.timeout': {
    type: 'int',
    min: 1,
    default: 300,
    doc: 'Seconds to wait for an ack before the batch is sent again (duplicates possible).',
  },
  'splunk.hec.ack.cookie': {
    type: 'string',
    doc: 'Load-balancer session cookie (or Splunk [http] channel_cookie) kept per endpoint for sticky /ack.',
  },
  'splunk.hec.health.check.interval.ms': {
    type: 'int',
    min: 0,
    default: 10000,
    doc: 'How often healthy endpoints are checked with /services/collector/health, ms; 0: only after failures.',
  },
  'splunk.hec.backoff.initial.ms': {
    type: 'int',
    min: 10,
    default: 1000,
    doc: 'First back-off of a failing endpoint, ms; it doubles per failure until a request succeeds.',
  },
  'splunk.hec.backoff.max.ms': {
    type: 'int',
    min: 10,
    default: 60000,
    doc: 'Longest back-off of a failing endpoint, ms (SCK splunk.hec.backoff.threshhold.seconds).',
  },
  'splunk.hec.ssl.validate.certs': {
    type: 'bool',
    default: true,
    doc: 'Verify the HEC server certificate and host name. false logs a warning at start.',
  },
  'splunk.hec.ssl.trust.store.path': {
    type: 'string',
    file: true,
    doc: 'PEM file of CA certificates trusted for HEC, besides the system ones (not a JKS: see the docs).',
  },
  'splunk.hec.ssl.server.name': {
    type: 'string',
    doc: 'TLS server name (SNI) and name the certificate must match, when it differs from the URL host.',
  },
});
