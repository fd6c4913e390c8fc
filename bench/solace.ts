/**
 * The `solace` sink's own cost per event, without a broker (none runs here): events encoded (seed hierarchy topic,
 * 1 KiB JSON bodies, k_* properties) and published through the publisher onto the fake session at the library
 * boundary, which acknowledges every message on the next tick in send order (window 50, batches of 200, 4 in
 * flight). Then the real solclientjs's per-message work that the fake skips: building the `solace.Message`
 * (destination, Buffer attachment, SDT user property map). Figures only; a real broker adds SMF encoding and the
 * network.
 *
 *   node bench/solace.ts [events=200000]
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import solace from 'solclientjs';
import type { LogEvent } from '../src/engine/index.ts';
import { publisherMetrics } from '../src/sinks/solace/metrics.ts';
import { buildMessage, loadSolclient } from '../src/sinks/solace/solclient.ts';
import { SolaceSink } from '../src/sinks/solace/solace-sink.ts';
import { solaceSpec } from '../src/sinks/solace/solace-spec.ts';
import { FakeSolace } from '../test/support/solace/fake-session.ts';
import { report, sampleRss } from './report.ts';
import { driveSink } from './drive-sink.ts';

const total = Number(process.argv[2] ?? 200_000);
const TOPIC = 'acme/${kubernetes.cluster}/${kubernetes.labels.app}/${kubernetes.container_id}';

/** Bodies of 4 clusters × 8 apps × 16 containers, 1 KiB of JSON each, built once (input is not what is measured). */
const bodies = Array.from({ length: 512 }, (_, i) => ({
  log: `request ${i} served in 12ms `.padEnd(900, 'x'),
  stream: 'stdout',
  kubernetes: {
    cluster: `cluster${i % 4}`,
    container_id: `c${(i >> 5) % 16}`,
    labels: { app: `app${(i >> 2) % 8}` },
  },
}));
const value = Buffer.from(JSON.stringify(bodies[0]));

function makeEvent(i: number): LogEvent {
  return {
    record: {
      position: { topic: 'bench', partition: i % 8, offset: BigInt(i) },
      key: null,
      value,
      headers: {},
      timestampMs: 0,
      sizeBytes: value.length,
    },
    body: bodies[i % bodies.length] ?? {},
    timeMs: 0,
    meta: {},
  };
}

function measure(name: string, records: number, run: () => Promise<number>): Promise<void> {
  const rss = sampleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return run().then((bytes) => {
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    report(name, { records, seconds, bytes, cpuSeconds, peakRssBytes: rss.stop() });
    console.log(`  cpu µs/event   ${((cpuSeconds / records) * 1e6).toFixed(1)}`);
  });
}

const { config, issues } = solaceSpec.validate(
  { 'sol.host': 'tcp://fake:55555', 'sol.topic': TOPIC },
  { connector: 'bench', topics: ['bench'], path: 'config' },
);
if (config === undefined) throw new Error(JSON.stringify(issues));
const fake = new FakeSolace({ autoAck: true });
const sink = new SolaceSink({
  config,
  loadFactory: () => Promise.resolve(fake),
  metrics: publisherMetrics(new Registry(), 'solace', { connector: 'bench', sink: 'solace' }),
  logger: pino({ level: 'silent' }),
});
await sink.connect(new AbortController().signal);
await driveSink(sink, 5000, makeEvent); // warm-up
fake.received.length = 0;
await measure('solace sink → fake session (acks next tick), window 50, 1 KiB events', total, () =>
  driveSink(sink, total, makeEvent),
);
await sink.close(1000);

await loadSolclient(pino({ level: 'silent' }));
const destinations = new Map<string, solace.Destination>();
await measure('solclientjs message building (destination cached, Buffer, SDT map)', total, () => {
  let bytes = 0;
  for (let i = 0; i < total; i += 1) {
    const message = sink.encode(makeEvent(i)).payload;
    let destination = destinations.get(message.topic);
    if (destination === undefined) {
      destination = solace.SolclientFactory.createTopicDestination(message.topic);
      destinations.set(message.topic, destination);
    }
    buildMessage(solace, destination, message, { key: {}, mode: 'persistent' });
    bytes += message.payload.length;
  }
  return Promise.resolve(bytes);
});
