/**
 * The MQTT publisher alone (no encoder, no sink batching) to a real Mosquitto on loopback at QoS 1: `lanes`
 * concurrent `publish` calls of `batch` 1 KiB messages each, as the sink makes them. Prints messages/s, CPU seconds
 * of this process per 100k messages (Mosquitto runs in its own) and how many writes reached the socket: calls of
 * `net.Socket`'s `_write` and `_writev` (one write request each) and this process's write system calls (`syscw` of
 * /proc/self/io, Linux). Figures only.
 *
 *   node bench/mqtt-publish.ts [messages=200000] [brokerReceiveMaximum=20] [batch=500] [lanes=8]
 *
 * Mosquitto advertises its `max_inflight_messages` as the MQTT 5 Receive Maximum, which bounds the PUBLISH
 * packets in flight.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { MqttPublisher } from '../src/sinks/mqtt/publisher.ts';
import { mqttSpec } from '../src/sinks/mqtt/spec.ts';
import { type OutboundMessage, publisherMetrics } from '../src/sinks/topic/index.ts';
import { startConfiguredMosquitto } from '../test/support/mqtt/mosquitto.ts';

const total = Number(process.argv[2] ?? 200_000);
const receiveMaximum = Number(process.argv[3] ?? 20);
const batchSize = Number(process.argv[4] ?? 500);
const lanes = Number(process.argv[5] ?? 8);

const payload = Buffer.from(JSON.stringify({ log: 'request served in 12ms '.padEnd(1000, 'x') }));
const messages: readonly OutboundMessage[] = Array.from({ length: batchSize }, (_, i) => ({
  topic: `bench/app${i % 8}`,
  payload,
  contentType: 'application/json',
  properties: [
    { name: 'k_topic', type: 'string', value: 'bench' },
    { name: 'k_partition', type: 'int32', value: i % 8 },
    { name: 'k_offset', type: 'string', value: String(i) },
  ],
}));

/** Counts the socket's write requests, in every socket of this process (the publisher's is the only busy one). */
function countSocketWrites(): { readonly writes: () => number; readonly chunks: () => number } {
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const { _write: write, _writev: writev } = prototype;
  let writes = 0;
  let chunks = 0;
  prototype._write = function (this: Socket, ...args: unknown[]) {
    writes += 1;
    chunks += 1;
    write.apply(this, args);
  };
  prototype._writev = function (this: Socket, ...args: unknown[]) {
    writes += 1;
    chunks += (args[0] as unknown[]).length;
    writev.apply(this, args);
  };
  return { writes: () => writes, chunks: () => chunks };
}

/** Write system calls of this process so far (write, writev…), or NaN where /proc/self/io is missing. */
function writeSyscalls(): number {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

async function drive(publisher: MqttPublisher, count: number): Promise<void> {
  const signal = new AbortController().signal;
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < count) {
      const batch = messages.slice(0, Math.min(batchSize, count - sent));
      sent += batch.length;
      const outcomes = await publisher.publish(batch, signal);
      if (outcomes.some((o) => !o.ok)) throw new Error('a message was not delivered');
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

const broker = await startConfiguredMosquitto({ maxInflightMessages: receiveMaximum });
try {
  const { config, issues } = mqttSpec.validate(
    { 'mqtt.url': broker.url, 'mqtt.topic': 'bench', 'mqtt.protocol.version': '5' },
    { connector: 'bench', topics: ['bench'], path: 'config' },
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  const publisher = new MqttPublisher({
    config,
    metrics: publisherMetrics(new Registry(), 'mqtt', { connector: 'bench', sink: 'mqtt' }),
    logger: pino({ level: 'silent' }),
  });
  await publisher.ready(new AbortController().signal);
  await drive(publisher, 5000); // warm-up
  const counter = countSocketWrites();
  const syscalls0 = writeSyscalls();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await drive(publisher, total);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const writes = counter.writes();
  const chunks = counter.chunks();
  const syscalls = writeSyscalls() - syscalls0;
  await publisher.close(1000);
  const per100k = (micros: number): string => ((micros / 1e6 / total) * 1e5).toFixed(2);
  console.log(
    [
      `mqtt publisher → Mosquitto, QoS 1, MQTT 5, ${Math.min(config.maxInFlightMessages, receiveMaximum)} in flight, ` +
        `${lanes} × ${batchSize}-message publish calls, loopback, ${payload.length} B payloads`,
      `  messages           ${total}`,
      `  seconds            ${seconds.toFixed(2)}`,
      `  messages/s         ${Math.round(total / seconds)}`,
      `  cpu s / 100k msgs  ${per100k(cpu.user + cpu.system)} (user ${per100k(cpu.user)}, system ${per100k(cpu.system)})`,
      `  socket writes      ${writes} (${(total / writes).toFixed(2)} messages per write, ${chunks} buffers)`,
      `  write syscalls     ${syscalls}`,
    ].join('\n'),
  );
} finally {
  await broker.dispose();
}
