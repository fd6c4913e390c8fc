import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { hecMetrics, splunkHecSpec } from '../../../../src/sinks/splunk-hec/index.ts';
import { hecConfig } from './config-helper.ts';

const context = { connector: 'c', topics: ['a', 'b'], path: 'config' };
const base = { 'splunk.hec.uri': 'https://idx-1:8088', 'splunk.hec.token': 't' };
const issuesOf = (properties: Record<string, string>) =>
  splunkHecSpec.validate({ ...base, ...properties }, context).issues.map((i) => `${i.path}: ${i.message}`);

describe('splunk-hec validation', () => {
  it('has the documented defaults', () => {
    const config = hecConfig();
    expect(config).toMatchObject({
      gzip: true,
      gzipLevel: 1,
      maxBatchBytes: 1_048_576,
      lingerMs: 200,
      requestsPerEndpoint: 8,
      raw: false,
      lineBreaker: '\n',
      ack: { enabled: false, pollIntervalMs: 500, timeoutMs: 300_000, maxPending: 64 },
      health: { intervalMs: 10_000, backoffInitialMs: 1000, backoffMaxMs: 60_000 },
      tls: { verify: true, ca: undefined },
    });
  });

  it('takes several URIs and strips a trailing slash', () => {
    expect(hecConfig({ 'splunk.hec.uri': 'https://a:8088/, https://b:8088' }).uris).toEqual([
      'https://a:8088',
      'https://b:8088',
    ]);
  });

  it('refuses a URI with a path or without a scheme, saying what a base URL is', () => {
    expect(issuesOf({ 'splunk.hec.uri': 'https://a:8088/services/collector,b:8088' })).toEqual([
      'config.splunk.hec.uri: "https://a:8088/services/collector" must be an http(s) base URL with no path, e.g. https://splunk-1:8088',
      'config.splunk.hec.uri: "b:8088" must be an http(s) base URL with no path, e.g. https://splunk-1:8088',
    ]);
  });

  it('reports per-topic lists that do not align with topics, and bad enrichment pairs', () => {
    expect(
      issuesOf({ 'splunk.indexes': 'x,y,z', 'splunk.hec.json.event.enrichment': 'ok=1,broken' }),
    ).toEqual([
      'config.splunk.indexes: has 3 values for 2 topics: give one, or one per topic',
      'config.splunk.hec.json.event.enrichment: "broken" is not key=value',
    ]);
  });

  it('reads the CA file at validation; a missing file or a Java keystore is reported with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hec-ca-'));
    const jks = join(dir, 'truststore.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    expect(issuesOf({ 'splunk.hec.ssl.trust.store.path': join(dir, 'none.pem') })).toEqual([
      `config.splunk.hec.ssl.trust.store.path: ${join(dir, 'none.pem')}: ENOENT`,
    ]);
    expect(issuesOf({ 'splunk.hec.ssl.trust.store.path': jks })[0]).toMatch(/keytool -exportcert -rfc/);
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(hecConfig({ 'splunk.hec.ssl.trust.store.path': pem }).tls.ca).toContain('BEGIN CERTIFICATE');
  });

  it('lets the engine keep every pending ack in flight besides the requests on the wire', () => {
    const deps = { logger: pino({ level: 'silent' }), registry: new Registry() };
    const properties = { 'splunk.hec.uri': 'http://a:1,http://b:1', 'splunk.hec.max.inflight.requests': '3' };
    expect(splunkHecSpec.create(hecConfig(properties), context, deps).maxInFlight).toBe(6);
    const withAck = hecConfig({
      ...properties,
      'splunk.hec.ack.enabled': 'true',
      'splunk.hec.ack.max.pending': '10',
    });
    expect(splunkHecSpec.create(withAck, context, deps).maxInFlight).toBe(16);
  });

  it('creates its metrics once per registry, so connectors can share one', () => {
    const registry = new Registry();
    expect(hecMetrics(registry)).toBe(hecMetrics(registry));
    const deps = { logger: pino({ level: 'silent' }), registry };
    expect(() => {
      splunkHecSpec.create(hecConfig(), context, deps);
      splunkHecSpec.create(hecConfig(), { ...context, connector: 'd' }, deps);
    }).not.toThrow();
    expect(registry.getSingleMetric('logbridge_hec_requests_total')).toBeDefined();
  });
});
