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
import { publisherMetrics } from '../src/sinks/topic/metrics.ts';
import { buildMessage, loadSolclient } from '../src/sinks/solace/solclient.ts';
import { SolaceSink } from '../src/sinks/solace/sink.ts';
import { solaceSpec } from '../src/sinks/solace/spec.ts';
import { FakeSolace } from '../test/support/solace/fake-session.ts';
import { report, sampleRss } from './report.ts';
import { driveSink, ROUTED_TOPIC, routedEvent } from './drive-sink.ts';

const total = Number(process.argv[2] ?? 200_000);

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
  { 'sol.host': 'tcp://fake:55555', 'sol.topic': ROUTED_TOPIC },
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
await driveSink(sink, 5000, routedEvent); // warm-up
fake.received.length = 0;
await measure('solace sink → fake session (acks next tick), window 50, 1 KiB events', total, () =>
  driveSink(sink, total, routedEvent),
);
await sink.close(1000);

await loadSolclient(pino({ level: 'silent' }));
const destinations = new Map<string, solace.Destination>();
await measure('solclientjs message building (destination cached, Buffer, SDT map)', total, () => {
  let bytes = 0;
  for (let i = 0; i < total; i += 1) {
    const message = sink.encode(routedEvent(i)).payload;
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
