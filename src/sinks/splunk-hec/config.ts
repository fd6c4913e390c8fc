/**
 * Settings of the Splunk HEC sink, built from the connector keys in `schema.ts` and checked once: per-topic lists
 * must align with `topics`, the CA file must be readable PEM.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ConfigIssue, Secret, Values } from '../../config/index.ts';
import { hecSinkSchema } from './schema.ts';

/** Default metadata of events from one topic (the route may override each). */
export interface HecMetadata {
  readonly index?: string;
  readonly source?: string;
  readonly sourcetype?: string;
  readonly host?: string;
}

/** Kafka header names that carry metadata (`splunk.header.support`). */
export interface HeaderNames {
  readonly index: string;
  readonly source: string;
  readonly sourcetype: string;
  readonly host: string;
}

/** How `time` is set. */
export interface TimeSettings {
  /** Body path holding the time; `undefined`: none. */
  readonly field: readonly string[] | undefined;
  /** Fall back to the event time (the record timestamp); false: leave `time` out. */
  readonly useRecordTimestamp: boolean;
  /** Leave `time` out and ask Splunk to extract it (`?auto_extract_timestamp=true`). */
  readonly autoExtract: boolean;
}

/** Indexed fields added to each `/event` envelope. */
export interface FieldSettings {
  /** `kafka_topic`, `kafka_partition`, `kafka_offset`. */
  readonly track: boolean;
  readonly constant: Readonly<Record<string, string>>;
  /** Body paths copied into `fields`. */
  readonly fromBody: readonly (readonly string[])[];
}

/** Indexer acknowledgement. */
export interface AckSettings {
  readonly enabled: boolean;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly maxPending: number;
  /** Session cookie to keep per endpoint (sticky load balancers). */
  readonly cookie: string | undefined;
}

/** Endpoint health and back-off. */
export interface HealthSettings {
  /** Period of `/health` checks of healthy endpoints, ms; 0: off. */
  readonly intervalMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

/** TLS towards HEC. */
export interface TlsSettings {
  readonly verify: boolean;
  /** PEM text of the trusted CAs (read at validation), and the file it came from. */
  readonly ca: string | undefined;
  readonly caFile: string | undefined;
  /** SNI and the name to verify, when not the URL's host. */
  readonly serverName: string | undefined;
}

/** Settings of one HEC sink. */
export interface HecSinkConfig {
  /** HEC base URLs without trailing slash, e.g. `https://idx-1:8088`. */
  readonly uris: readonly string[];
  readonly token: Secret;
  readonly metadataFor: (topic: string) => HecMetadata;
  /** Headers holding metadata, when `splunk.header.support` is on. */
  readonly headers: HeaderNames | undefined;
  /** `/raw` instead of `/event`. */
  readonly raw: boolean;
  readonly lineBreaker: string;
  readonly time: TimeSettings;
  readonly fields: FieldSettings;
  readonly gzip: boolean;
  readonly gzipLevel: number;
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  /** Concurrent requests per endpoint. */
  readonly requestsPerEndpoint: number;
  readonly requestTimeoutMs: number;
  readonly maxEventBytes: number;
  readonly ack: AckSettings;
  readonly health: HealthSettings;
  readonly tls: TlsSettings;
}

type HecValues = Values<typeof hecSinkSchema>;

/** Builds the sink settings; reports misaligned lists, bad `key=value` pairs and an unusable CA file. */
export function hecSinkConfigFrom(
  values: HecValues,
  topics: readonly string[],
  path: string,
): { config: HecSinkConfig; issues: ConfigIssue[] } {
  const { metadataFor, issues } = metadataResolver(values, topics, path);
  const constant = pairs(
    values['splunk.hec.json.event.enrichment'],
    `${path}.splunk.hec.json.event.enrichment`,
  );
  issues.push(...constant.issues);
  const tls = tlsFrom(values, path);
  issues.push(...tls.issues);
  const config: HecSinkConfig = {
    uris: values['splunk.hec.uri'].map((uri) => uri.replace(/\/+$/, '')),
    token: values['splunk.hec.token'],
    metadataFor,
    headers: headersFrom(values),
    raw: values['splunk.hec.raw'],
    lineBreaker: unescape(values['splunk.hec.raw.line.breaker']),
    time: timeFrom(values),
    fields: {
      track: values['splunk.hec.track.data'],
      constant: constant.fields,
      fromBody: values['splunk.hec.indexed.fields'].map((field) => field.split('.')),
    },
    gzip: values['splunk.hec.enable.compression'],
    gzipLevel: values['splunk.hec.compression.level'],
    maxBatchEvents: values['splunk.hec.max.batch.size'],
    maxBatchBytes: values['splunk.hec.max.batch.bytes'],
    lingerMs: values['splunk.hec.linger.ms'],
    requestsPerEndpoint: values['splunk.hec.max.inflight.requests'],
    requestTimeoutMs: values['splunk.hec.request.timeout.ms'],
    maxEventBytes: values['splunk.hec.max.event.bytes'],
    ack: ackFrom(values),
    health: healthFrom(values),
    tls: tls.settings,
  };
  return { config, issues };
}

function headersFrom(values: HecValues): HeaderNames | undefined {
  if (!values['splunk.header.support']) return undefined;
  return {
    index: values['splunk.header.index'],
    source: values['splunk.header.source'],
    sourcetype: values['splunk.header.sourcetype'],
    host: values['splunk.header.host'],
  };
}

function timeFrom(values: HecValues): TimeSettings {
  return {
    field: dotted(values['splunk.hec.time.field']),
    useRecordTimestamp: values['splunk.hec.use.record.timestamp'],
    autoExtract: values['splunk.hec.auto.extract.timestamp'],
  };
}

function ackFrom(values: HecValues): AckSettings {
  return {
    enabled: values['splunk.hec.ack.enabled'],
    pollIntervalMs: values['splunk.hec.ack.poll.interval.ms'],
    timeoutMs: values['splunk.hec.event.timeout'] * 1000,
    maxPending: values['splunk.hec.ack.max.pending'],
    cookie: values['splunk.hec.ack.cookie'],
  };
}

function healthFrom(values: HecValues): HealthSettings {
  const initial = values['splunk.hec.backoff.initial.ms'];
  return {
    intervalMs: values['splunk.hec.health.check.interval.ms'],
    backoffInitialMs: initial,
    backoffMaxMs: Math.max(values['splunk.hec.backoff.max.ms'], initial),
  };
}

/** Splunk Connect for Kafka's per-topic lists: one value for every topic, or one per topic in `topics` order. */
function metadataResolver(
  values: HecValues,
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

function dotted(path: string | undefined): readonly string[] | undefined {
  return path === undefined || path === '' ? undefined : path.split('.');
}

/** `\n`, `\r`, `\t` and `\\` as typed in a JSON or properties file become the characters. */
function unescape(text: string): string {
  return text.replace(/\\([nrt\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? '\\');
}

function pairs(
  list: readonly string[],
  path: string,
): { fields: Record<string, string>; issues: ConfigIssue[] } {
  const fields: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) issues.push({ path, message: `"${item}" is not key=value` });
    else fields[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return { fields, issues };
}

/** Reads the CA file now, so that a wrong path or a Java keystore is reported at validation with its key. */
function tlsFrom(values: HecValues, path: string): { settings: TlsSettings; issues: ConfigIssue[] } {
  const caFile = values['splunk.hec.ssl.trust.store.path'];
  const settings = {
    verify: values['splunk.hec.ssl.validate.certs'],
    caFile,
    serverName: values['splunk.hec.ssl.server.name'],
  };
  if (caFile === undefined) return { settings: { ...settings, ca: undefined }, issues: [] };
  const where = `${path}.splunk.hec.ssl.trust.store.path`;
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return {
      settings: { ...settings, ca: undefined },
      issues: [{ path: where, message: `${caFile}: ${reason}` }],
    };
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    const message =
      `${caFile} holds no PEM certificate. A Java truststore (SCK) must be exported: ` +
      'keytool -exportcert -rfc -alias <ca> -keystore truststore.jks > hec-ca.pem';
    return { settings: { ...settings, ca: undefined }, issues: [{ path: where, message }] };
  }
  return { settings: { ...settings, ca }, issues: [] };
}
