/**
 * The `mqtt` sink to a real Mosquitto on loopback at QoS 1: events encoded (topic from the seed hierarchy, 1 KiB
 * JSON bodies, k_* user properties) and published in batches with many PUBLISH packets in flight, each batch done
 * on its last PUBACK. Prints events/s and CPU per event of this process (Mosquitto runs in its own). Figures only.
 *
 *   node bench/mqtt.ts [events=200000] [protocol=5|3.1.1] [maxInflightMessages=1000] [brokerReceiveMaximum=20]
 *
 * Mosquitto advertises its `max_inflight_messages` (default 20) as the MQTT 5 Receive Maximum, which bounds the
 * PUBLISH packets in flight; MQTT 3.1.1 has no such bound.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { MqttSink } from '../src/sinks/mqtt/sink.ts';
import { mqttSpec } from '../src/sinks/mqtt/spec.ts';
import { publisherMetrics } from '../src/sinks/topic/metrics.ts';
import { startConfiguredMosquitto } from '../test/support/mqtt/mosquitto.ts';
import { report, sampleRss } from './report.ts';
import { driveSink, ROUTED_TOPIC, routedEvent } from './drive-sink.ts';

const total = Number(process.argv[2] ?? 200_000);
const protocol = process.argv[3] ?? '5';
const maxInflight = process.argv[4] ?? '1000';
const receiveMaximum = Number(process.argv[5] ?? 20);

const broker = await startConfiguredMosquitto({ maxInflightMessages: receiveMaximum });
try {
  const { config, issues } = mqttSpec.validate(
    {
      'mqtt.url': broker.url,
      'mqtt.topic': ROUTED_TOPIC,
      'mqtt.protocol.version': protocol,
      'mqtt.max.inflight.messages': maxInflight,
    },
    { connector: 'bench', topics: ['bench'], path: 'config' },
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  const sink = new MqttSink({
    config,
    metrics: publisherMetrics(new Registry(), 'mqtt', { connector: 'bench', sink: 'mqtt' }),
    logger: pino({ level: 'silent' }),
  });
  await sink.connect(new AbortController().signal);
  await driveSink(sink, 5000, routedEvent); // warm-up
  const rss = sampleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await driveSink(sink, total, routedEvent);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await sink.close(1000);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const window = protocol === '5' ? Math.min(Number(maxInflight), receiveMaximum) : Number(maxInflight);
  report(`mqtt sink → Mosquitto, QoS 1, MQTT ${protocol}, ${window} in flight, loopback, 1 KiB events`, {
    records: total,
    seconds,
    bytes,
    cpuSeconds,
    peakRssBytes: rss.stop(),
  });
  console.log(
    `  cpu µs/event   ${((cpuSeconds / total) * 1e6).toFixed(1)} (user ${(cpu.user / total).toFixed(1)}, system ${(cpu.system / total).toFixed(1)})`,
  );
} finally {
  await broker.dispose();
}
