/**
 * Settings of the Splunk HEC sink. Keys follow Splunk Connect for Kafka where it has one, so its users can carry
 * their configs over.
 * @module
 */
import { type ConfigIssue, defineSchema, type Values } from '../../config/index.ts';

/** Default metadata of events from one topic (the route may override each). */
export interface HecMetadata {
  readonly index?: string;
  readonly source?: string;
  readonly sourcetype?: string;
  readonly host?: string;
}

/** Settings of one HEC sink. */
export interface HecSinkConfig {
  /** HEC base URLs (`splunk.hec.uri`), e.g. `https://splunk-1:8088`; requests go round-robin. */
  readonly uris: readonly string[];
  /** HEC token (`splunk.hec.token`), secret. */
  readonly token: string;
  /** Default metadata per Kafka topic; absent keys fall back to the token's defaults in Splunk. */
  readonly metadataFor: (topic: string) => HecMetadata;
  /** gzip request bodies. Default true. */
  readonly gzip: boolean;
  /** gzip level 1–9. Default 1: HEC batches compress well even at the fastest level. */
  readonly gzipLevel: number;
  readonly maxBatchEvents: number;
  /** Batch size before compression, bytes. */
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  /** Concurrent requests per connector. */
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
  /** Largest encoded event, bytes (HEC's `maxEventSize` is 5 MB by default); larger events are dead-lettered. */
  readonly maxEventBytes: number;
  /** Verify the server certificate (`splunk.hec.ssl.validate.certs`). Default true. */
  readonly tlsVerify: boolean;
  /** PEM file of CAs to trust for HEC. */
  readonly caFile: string | undefined;
}

/** Connector keys of the HEC sink. */
export const hecSinkSchema = defineSchema({
  'splunk.hec.uri': {
    type: 'list',
    required: true,
    doc: 'HEC base URLs, comma-separated (https://splunk-1:8088,https://splunk-2:8088); requests go round-robin.',
  },
  'splunk.hec.token': { type: 'string', required: true, sensitive: true, doc: 'HEC token.' },
  'splunk.indexes': {
    type: 'list',
    default: [],
    doc: 'Index per topic, aligned with topics (one value: every topic). Empty: the token default.',
  },
  'splunk.sources': { type: 'list', default: [], doc: 'Source per topic, aligned with topics.' },
  'splunk.sourcetypes': { type: 'list', default: [], doc: 'Sourcetype per topic, aligned with topics.' },
  'splunk.hec.host': { type: 'string', doc: 'Default host field of events. Empty: the token default.' },
  'splunk.hec.enable.compression': { type: 'bool', default: true, doc: 'gzip request bodies.' },
  'splunk.hec.compression.level': { type: 'int', min: 1, max: 9, default: 1, doc: 'gzip level.' },
  'splunk.hec.max.batch.size': { type: 'int', min: 1, default: 1000, doc: 'Events per request.' },
  'splunk.hec.max.batch.bytes': {
    type: 'int',
    min: 1024,
    default: 1048576,
    doc: 'Request size before compression, bytes (keep near 1 MB; Splunk Cloud limits requests).',
  },
  'splunk.hec.linger.ms': {
    type: 'int',
    min: 0,
    default: 200,
    doc: 'How long a batch waits for more events before it is sent, ms.',
  },
  'splunk.hec.max.inflight.requests': { type: 'int', min: 1, default: 4, doc: 'Concurrent requests.' },
  'splunk.hec.request.timeout.ms': {
    type: 'int',
    min: 1000,
    default: 30000,
    doc: 'Per-request timeout, ms.',
  },
  'splunk.hec.max.event.bytes': {
    type: 'int',
    min: 1024,
    default: 5242880,
    doc: 'Largest encoded event, bytes (HEC maxEventSize); larger events are dead-lettered before sending.',
  },
  'splunk.hec.ssl.validate.certs': { type: 'bool', default: true, doc: 'Verify the HEC server certificate.' },
  'splunk.hec.ssl.trust.store.path': { type: 'string', doc: 'PEM file of CA certificates trusted for HEC.' },
});

/** Builds the sink settings; reports list keys that do not align with `topics`. */
export function hecSinkConfigFrom(
  values: Values<typeof hecSinkSchema>,
  topics: readonly string[],
  path: string,
): { config: HecSinkConfig; issues: ConfigIssue[] } {
  const { metadataFor, issues } = metadataResolver(values, topics, path);
  return {
    config: {
      uris: values['splunk.hec.uri'],
      token: values['splunk.hec.token'],
      metadataFor,
      gzip: values['splunk.hec.enable.compression'],
      gzipLevel: values['splunk.hec.compression.level'],
      maxBatchEvents: values['splunk.hec.max.batch.size'],
      maxBatchBytes: values['splunk.hec.max.batch.bytes'],
      lingerMs: values['splunk.hec.linger.ms'],
      maxInFlight: values['splunk.hec.max.inflight.requests'],
      requestTimeoutMs: values['splunk.hec.request.timeout.ms'],
      maxEventBytes: values['splunk.hec.max.event.bytes'],
      tlsVerify: values['splunk.hec.ssl.validate.certs'],
      caFile: values['splunk.hec.ssl.trust.store.path'],
    },
    issues,
  };
}

/** Splunk Connect for Kafka's per-topic lists: one value for every topic, or one per topic in `topics` order. */
function metadataResolver(
  values: Values<typeof hecSinkSchema>,
  topics: readonly string[],
  path: string,
): { metadataFor: (topic: string) => HecMetadata; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const pick = (key: 'splunk.indexes' | 'splunk.sources' | 'splunk.sourcetypes') => {
    const list = values[key];
    if (list.length > 1 && list.length !== topics.length) {
      issues.push({
        path: `${path}.${key}`,
        message: `has ${list.length} values for ${topics.length} topics: give one, or one per topic`,
      });
    }
    return (topic: string): string | undefined => (list.length === 1 ? list[0] : list[topics.indexOf(topic)]);
  };
  const index = pick('splunk.indexes');
  const source = pick('splunk.sources');
  const sourcetype = pick('splunk.sourcetypes');
  const host = values['splunk.hec.host'];
  const metadataFor = (topic: string): HecMetadata => ({
    ...defined('index', index(topic)),
    ...defined('source', source(topic)),
    ...defined('sourcetype', sourcetype(topic)),
    ...defined('host', host),
  });
  return { metadataFor, issues };
}

function defined(key: string, value: string | undefined): Record<string, string> {
  return value === undefined || value === '' ? {} : { [key]: value };
}
