/**
 * What reaches HEC: /event envelopes (time, metadata, indexed Kafka coordinates), gzip decoded by the server, /raw
 * with metadata in the query string and the line breaker, and TLS (CA file, SNI, verification off).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCertificates, type HecServer, startHecServer } from '../../support/hec/index.ts';
import { events, messages, recordAt, startSink, type SinkUnderTest } from './sink-harness.ts';

const TOKEN = '77777777-7777-4777-8777-777777777777';

let hec: HecServer | undefined;
let current: SinkUnderTest | undefined;

afterEach(async () => {
  await current?.close();
  await hec?.close();
  current = undefined;
  hec = undefined;
});

async function setup(properties: Record<string, string> = {}, topics?: readonly string[]) {
  const server = await startHecServer({ tokens: { [TOKEN]: {} } });
  hec = server;
  current = await startSink(
    { 'splunk.hec.uri': server.url, 'splunk.hec.token': TOKEN, ...properties },
    topics,
  );
  return { server, s: current };
}

describe('/event', () => {
  it.each([
    ['on', 'true'],
    ['off', 'false'],
  ])('gzip %s: the server decodes what was sent', async (_, gzip) => {
    const { server, s } = await setup({ 'splunk.hec.enable.compression': gzip });
    expect(await s.send(events(50))).toEqual({ kind: 'delivered' });
    const [request] = server.requests.filter((r) => r.endpoint === 'event');
    expect(request?.gzip).toBe(gzip === 'true');
    if (gzip === 'true') expect(request?.bytes).toBeLessThan((request?.decodedBytes ?? 0) / 3);
    expect(messages(server.events)).toEqual(messages(events(50).map((e) => ({ event: e.body }))));
  });

  it('writes time in epoch seconds with ms, route and topic metadata, and kafka_* indexed fields', async () => {
    const { server, s } = await setup(
      { 'splunk.indexes': 'k8s,audit', 'splunk.sourcetypes': 'kube:container', 'splunk.hec.host': 'bridge' },
      ['logs', 'other'],
    );
    const record = recordAt(42, 'logs', 3);
    await s.send([
      { record, body: { msg: 'a' }, timeMs: 1_700_000_000_123, meta: { source: 'pod-a' } },
      {
        record: recordAt(7, 'other'),
        body: 'plain text',
        timeMs: 1_700_000_001_000,
        meta: { index: 'main' },
      },
    ]);
    expect(
      server.events.map(({ time, host, source, sourcetype, index, fields }) => ({
        time,
        host,
        source,
        sourcetype,
        index,
        fields,
      })),
    ).toEqual([
      {
        time: 1_700_000_000.123,
        host: 'bridge',
        source: 'pod-a',
        sourcetype: 'kube:container',
        index: 'k8s',
        fields: { kafka_topic: 'logs', kafka_partition: '3', kafka_offset: '42' },
      },
      expect.objectContaining({ time: 1_700_000_001, index: 'main', sourcetype: 'kube:container' }),
    ]);
    expect(server.events[1]?.event).toBe('plain text');
  });

  it('takes time from splunk.hec.time.field when it holds a date', async () => {
    const { server, s } = await setup({ 'splunk.hec.time.field': 'ts' });
    await s.send([
      { record: recordAt(0), body: { msg: 'x', ts: '2024-05-01T10:00:00.250Z' }, timeMs: 1, meta: {} },
    ]);
    expect(server.events[0]?.time).toBe(Date.parse('2024-05-01T10:00:00.250Z') / 1000);
  });
});

describe('/raw', () => {
  it('sends metadata in the query string, one request per metadata set, with the line breaker', async () => {
    const { server, s } = await setup({
      'splunk.hec.raw': 'true',
      'splunk.indexes': 'main',
      'splunk.sourcetypes': 'app',
    });
    const batch = [
      ...events(2, 0, { source: 'a' }),
      ...events(1, 2, { source: 'b' }),
      ...events(1, 3, { source: 'a' }),
    ];
    expect(await s.send(batch)).toEqual({ kind: 'delivered' });
    const raw = server.requests.filter((r) => r.endpoint === 'raw');
    // Groups go out concurrently: compare in source order; order within a group is kept.
    expect(raw.map((r) => r.query).sort((x, y) => (x.source ?? '').localeCompare(y.source ?? ''))).toEqual([
      { source: 'a', sourcetype: 'app', index: 'main' },
      { source: 'b', sourcetype: 'app', index: 'main' },
    ]);
    const bySource = server.events.toSorted((x, y) => x.source.localeCompare(y.source));
    expect(raw.every((r) => r.headers['content-type']?.startsWith('text/plain'))).toBe(true);
    expect(bySource.map((e) => [e.event, e.source])).toEqual([
      ['{"msg":"event-0"}', 'a'],
      ['{"msg":"event-1"}', 'a'],
      ['{"msg":"event-3"}', 'a'],
      ['{"msg":"event-2"}', 'b'],
    ]);
  });
});

describe('/raw with a custom line breaker', () => {
  it('keeps multi-line events whole when the breaker matches the server LINE_BREAKER', async () => {
    const server = await startHecServer({ tokens: { [TOKEN]: {} }, rawLineBreaker: /####/ });
    hec = server;
    current = await startSink({
      'splunk.hec.uri': server.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.raw': 'true',
      'splunk.hec.raw.line.breaker': '####',
    });
    const trace = 'Exception in main\n\tat a.b(C.java:1)';
    await current.send([{ record: recordAt(0), body: trace, timeMs: 0, meta: {} }, ...events(1, 1)]);
    expect(server.events.map((e) => e.event)).toEqual([trace, '{"msg":"event-1"}']);
  });
});

describe('TLS', () => {
  const certificates = createTestCertificates({
    names: ['DNS:hec.example.test', 'DNS:localhost', 'IP:127.0.0.1'],
  });

  async function tlsServer(): Promise<{ server: HecServer }> {
    const server = await startHecServer({
      tokens: { [TOKEN]: {} },
      tls: { cert: certificates.cert, key: certificates.key },
    });
    hec = server;
    return { server };
  }

  it('verifies the server with the CA file, and names the server (SNI) as configured', async () => {
    const seen: string[] = [];
    const probe = await startHecServer({
      tokens: { [TOKEN]: {} },
      tls: {
        cert: certificates.cert,
        key: certificates.key,
        SNICallback: (name, done) => {
          seen.push(name);
          done(null);
        },
      },
    });
    current = await startSink({
      'splunk.hec.uri': probe.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.ssl.trust.store.path': certificates.caFile,
      'splunk.hec.ssl.server.name': 'hec.example.test',
    });
    expect(await current.send(events(2))).toEqual({ kind: 'delivered' });
    expect(seen).toContain('hec.example.test');
    await current.close();
    current = undefined;
    await probe.close();
  });

  it('refuses an unknown CA: the batch is retried with the certificate error', async () => {
    const { server } = await tlsServer();
    current = await startSink({
      'splunk.hec.uri': server.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.health.check.interval.ms': '0',
    });
    const outcome = await current.send(events(1));
    expect(outcome.kind).toBe('retry');
    expect(outcome.kind === 'retry' && outcome.cause.message).toMatch(/certificate/i);
    expect(server.events).toHaveLength(0);
  });

  it('with verification off, delivers and warns at start', async () => {
    const { server } = await tlsServer();
    current = await startSink({
      'splunk.hec.uri': server.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.ssl.validate.certs': 'false',
    });
    expect(await current.send(events(1))).toEqual({ kind: 'delivered' });
    expect(current.logs.some((line) => line.level === 40 && /not verified/.test(line.msg))).toBe(true);
  });

  it('verifies the server with the CA file against the URL host by default', async () => {
    const { server } = await tlsServer();
    expect(server.url.startsWith('https://127.0.0.1:')).toBe(true);
    current = await startSink({
      'splunk.hec.uri': server.url,
      'splunk.hec.token': TOKEN,
      'splunk.hec.ssl.trust.store.path': certificates.caFile,
    });
    expect(await current.send(events(1))).toEqual({ kind: 'delivered' });
    expect(server.events).toHaveLength(1);
  });
});
