/**
 * The end-to-end benchmark's MQTT subscriber, a helper process (see child.ts): subscribes to `acme/#` at QoS 1
 * (MQTT 5, so the `k_partition`/`k_offset` user properties come through) and counts distinct Kafka coordinates,
 * so the fan-out profile's MQTT side is verified, not assumed.
 *
 *   node bench/e2e/subscriber.ts <mqtt url>
 * @module
 */
import { connectAsync } from 'mqtt';
import { serveParent } from './child.ts';
import { Tally } from './tally.ts';

const url = process.argv[2] ?? 'mqtt://127.0.0.1:1883';
const client = await connectAsync(url, {
  protocolVersion: 5,
  clientId: `logbridge-bench-subscriber-${String(process.pid)}`,
  clean: true,
  reconnectPeriod: 1000,
  properties: { receiveMaximum: 1000 },
});
let tally = new Tally('', 0);
let cpuAtFirst: NodeJS.CpuUsage | undefined;
let cpuSeconds: number | undefined;

client.on('message', (_topic, _payload, packet) => {
  const properties = packet.properties?.userProperties ?? {};
  const topic = properties.k_topic;
  if (topic !== tally.topic) {
    tally.foreign += 1;
    return;
  }
  cpuAtFirst ??= process.cpuUsage();
  if (tally.add(Number(properties.k_partition), Number(properties.k_offset), performance.now())) {
    const cpu = process.cpuUsage(cpuAtFirst);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  }
});
await client.subscribeAsync('acme/#', { qos: 1 });

serveParent({
  ready: () => ({ url }),
  expect: (next: { topic: string; expected: number }) => {
    tally = new Tally(next.topic, next.expected);
    cpuAtFirst = cpuSeconds = undefined;
  },
  stats: () => ({
    distinct: tally.distinct,
    duplicates: tally.duplicates,
    foreign: tally.foreign,
    cpuSeconds,
  }),
});
