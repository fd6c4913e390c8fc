/**
 * Splunk HEC sink throughput: ~1 KiB log events encoded, batched, gzipped and POSTed by the real sink to the HEC
 * test server on loopback (in a child process, so its CPU is not counted), gzip on/off × indexer ack on/off.
 * Prints events/s, MiB/s and CPU seconds per MiB of this process (main thread + zlib threads). Not a test.
 *
 *   node bench/hec.ts [events=200000] [--only gzip|plain|gzip-ack|plain-ack] [--inflight <requests per endpoint>]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { JsonObject, LogEvent, SinkBatch } from '../src/engine/index.ts';
import { type HecPayload, splunkHecSpec } from '../src/sinks/splunk-hec/index.ts';
import { startHecServer } from '../test/support/hec/index.ts';
import { report, sampleRss } from './report.ts';

const PLAIN = '00000000-0000-4000-8000-00000000000a';
const ACK = '00000000-0000-4000-8000-00000000000b';

const { values, positionals } = parseArgs({
  options: {
    server: { type: 'boolean', default: false },
    only: { type: 'string' },
    inflight: { type: 'string' },
  },
  allowPositionals: true,
});

async function serve(): Promise<void> {
  const hec = await startHecServer({ record: 'count', tokens: { [PLAIN]: {}, [ACK]: { ack: true } } });
  process.send?.(hec.url);
  process.once('message', () => {
    void hec.close().then(() => process.exit(0));
  });
}

/**
 * Log-like bodies of about 1 KiB once encoded, from a fixed seed (gzip ratio like real container logs). A pool is
 * cycled and events are made on demand, so that the heap (and GC) shows the sink, not the input.
 */
function makeBodies(count: number): JsonObject[] {
  const words = ['GET', 'POST', '/api/v1/orders', 'status=200', 'latency_ms=', 'upstream', 'user=', 'trace='];
  let seed = 42;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff);
  return Array.from({ length: count }, (_, i) => {
    let log = `${i} `;
    while (log.length < 700)
      log += `${next() % 3 === 0 ? next().toString(16) : (words[next() % words.length] ?? '')} `;
    return {
      log,
      stream: 'stdout',
      kubernetes: {
        namespace: 'shop',
        pod: `orders-7d9f${i % 16}`,
        container: 'app',
        node: `aks-node-${i % 5}`,
      },
    };
  });
}

const bodies = makeBodies(4096);

function eventAt(i: number): LogEvent {
  const record = {
    position: { topic: 'bench', partition: i % 8, offset: BigInt(i >> 3) },
    key: null,
    value: null,
    headers: {},
    timestampMs: 1_700_000_000_000 + i,
    sizeBytes: 1024,
  };
  const body = bodies[i % bodies.length] ?? {};
  return { record, body, timeMs: record.timestampMs, meta: { sourcetype: 'kube:container', index: 'main' } };
}

async function measure(url: string, count: number, gzip: boolean, ack: boolean): Promise<void> {
  const context = { connector: 'bench', topics: ['bench'], path: 'config' };
  const { config, issues } = splunkHecSpec.validate(
    {
      'splunk.hec.uri': url,
      'splunk.hec.token': ack ? ACK : PLAIN,
      'splunk.hec.enable.compression': String(gzip),
      'splunk.hec.ack.enabled': String(ack),
      ...(values.inflight === undefined ? {} : { 'splunk.hec.max.inflight.requests': values.inflight }),
    },
    context,
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  const sink = splunkHecSpec.create(config, context, {
    logger: pino({ level: 'warn' }),
    registry: new Registry(),
  });
  await sink.connect(new AbortController().signal);
  const signal = new AbortController().signal;
  const inFlight = new Set<Promise<void>>();
  let bytes = 0;
  const send = async (batch: SinkBatch<unknown>): Promise<void> => {
    while (inFlight.size >= sink.maxInFlight) await Promise.race(inFlight);
    const sending = sink.send(batch, signal).then((outcome) => {
      if (outcome.kind !== 'delivered') throw new Error(`send: ${JSON.stringify(outcome)}`);
    });
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
  };
  const rss = sampleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let batch = { events: [] as LogEvent[], payloads: [] as HecPayload[], bytes: 0 };
  for (let i = 0; i < count; i += 1) {
    const event = eventAt(i);
    const encoded = sink.encode(event) as { payload: HecPayload; bytes: number };
    bytes += encoded.bytes;
    batch.events.push(event);
    batch.payloads.push(encoded.payload);
    batch.bytes += encoded.bytes;
    if (batch.events.length >= sink.batch.maxEvents || batch.bytes >= sink.batch.maxBytes) {
      await send(batch);
      batch = { events: [], payloads: [], bytes: 0 };
    }
  }
  if (batch.events.length > 0) await send(batch);
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await sink.close(0);
  report(
    `HEC sink, ${config.requestsPerEndpoint} requests in flight, gzip ${gzip ? `on (level ${config.gzipLevel})` : 'off'}, ack ${ack ? `on (poll ${config.ack.pollIntervalMs} ms)` : 'off'}`,
    {
      records: count,
      seconds,
      bytes,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssBytes: rss.stop(),
    },
  );
}

async function main(): Promise<void> {
  const count = Number(positionals[0] ?? 200_000);
  const child = fork(fileURLToPath(import.meta.url), ['--server']);
  const url = await new Promise<string>((resolve) => {
    child.once('message', (message) => {
      resolve(message as string);
    });
  });
  const scenarios = [
    ['gzip', true, false],
    ['plain', false, false],
    ['gzip-ack', true, true],
    ['plain-ack', false, true],
  ] as const;
  try {
    for (const [name, gzip, ack] of scenarios) {
      if (values.only !== undefined && values.only !== name) continue;
      await measure(url, count, gzip, ack);
    }
  } finally {
    child.send('stop');
  }
}

await (values.server ? serve() : main());
