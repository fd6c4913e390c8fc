/**
 * End-to-end benchmark of the shipped process (DESIGN.md §11): the harness's Kafka broker, Mosquitto, a fast HEC
 * receiver and an MQTT subscriber (helper processes whose CPU is printed apart), N realistic records produced once
 * to a 4-partition topic, then for each profile logbridge as a child process — `dist/cli/main.js` with the
 * `logbridge` command's Node flags, `NODE_ENV=production` and default settings — on a fresh consumer group:
 *
 * - `min`: no transforms, HEC (gzip); `full`: kubernetes, json, mask, route; `fanout`: full + MQTT QoS 1;
 *   `ack`: full + indexer acknowledgement (the receiver acks `--ack-delay-ms` after each request).
 *
 * Per run: events/s from the first to the last event at the receiver (every record counted once by its Kafka
 * coordinates, or the run prints no figure), logbridge's CPU-seconds (utime + stime of all threads, /proc) over
 * that window per 100k events, cores used, peak RSS (VmHWM), the share of the window its main thread was idle
 * (neither running nor waiting for a CPU), and then p50/p99 latency (Kafka record time → HEC arrival) with records
 * produced at half the rate just measured, on a fresh topic and group, once that group is Stable with one member
 * per logbridge process (no start-up rebalance in the window). Profiles are interleaved round by round;
 * the table at the end holds the medians. Each figure comes with the machine's load average: other work on the
 * machine slows events/s much more than it changes CPU-seconds per event.
 *
 *   make bench-e2e [BENCH_E2E_ARGS='--records 50000 --repeats 1']
 *   node bench/e2e.ts [--records 200000] [--repeats 3] [--profiles min,full,fanout,ack] [--latency-seconds 15]
 *     [--no-latency] [--ack-delay-ms 1000] [--partitions 4] [--set key=value …]
 *     [--env LOGBRIDGE_WORKERS=2 …] [--node-flags='--cpu-prof'] [--mosquitto-inflight 20]
 *
 * `--mosquitto-inflight N` sets Mosquitto's `max_inflight_messages`, the window it grants each MQTT 5 publisher
 * (Receive Maximum; Mosquitto's default is 20), to tell the broker's window from logbridge's own cost in `fanout`.
 * @module
 */
import { parseArgs } from 'node:util';
import { createTopic, startKafka } from '../test/support/kafka/index.ts';
import { startMosquitto } from '../test/support/mosquitto/index.ts';
import { createScratchDir } from '../test/support/scratch.ts';
import { type HelperProcess, startHelper } from './e2e/child.ts';
import { requireBuild } from './e2e/logbridge.ts';
import { findProcess, loadAverage } from './e2e/proc.ts';
import { type Profile, PROFILES } from './e2e/profiles.ts';
import { type BenchContext, latencyRun, throughputRun } from './e2e/runs.ts';
import { mediansTable, type RunResult, runLine } from './e2e/summary.ts';
import { produceBacklog, recordValues } from './e2e/workload.ts';

// kafkajs 2.2.4 schedules a negative timeout when it is not throttled (harmless), as src/cli/main.ts says.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') console.error(warning);
});

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    repeats: { type: 'string', default: '3' },
    profiles: { type: 'string', default: PROFILES.join(',') },
    'latency-seconds': { type: 'string', default: '15' },
    'no-latency': { type: 'boolean', default: false },
    'ack-delay-ms': { type: 'string', default: '1000' },
    partitions: { type: 'string', default: '4' },
    set: { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
    'node-flags': { type: 'string', default: '' },
    'stall-seconds': { type: 'string', default: '60' },
    'mosquitto-inflight': { type: 'string', default: '0' },
  },
});

const records = Number(values.records);
const repeats = Number(values.repeats);
const partitions = Number(values.partitions);
const profiles = values.profiles.split(',').map((p) => {
  if (!(PROFILES as readonly string[]).includes(p))
    throw new Error(`unknown profile ${p}; known: ${PROFILES.join(', ')}`);
  return p as Profile;
});
const pairs = (option: string, entries: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    entries.map((entry) => {
      const at = entry.indexOf('=');
      if (at < 1) throw new Error(`--${option} ${entry}: expected key=value`);
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
const overrides = pairs('set', values.set);
const env = pairs('env', values.env);

requireBuild();
console.log(`bench/e2e: ${String(records)} records, ${String(repeats)} round(s) of ${profiles.join(', ')}`);
console.log(`load average at start: ${loadAverage()}`);

const scratch = await createScratchDir('bench-e2e');
const broker = await startKafka();
const mosquitto = await startMosquitto({ maxInflightMessages: Number(values['mosquitto-inflight']) });
if (values['mosquitto-inflight'] !== '0')
  console.log(`Mosquitto max_inflight_messages ${values['mosquitto-inflight']} (its default: 20)`);
const helpers: HelperProcess[] = [];
let failed = 0;
try {
  const receiver = await startHelper(new URL('e2e/receiver.ts', import.meta.url));
  helpers.push(receiver);
  const subscriber = profiles.includes('fanout')
    ? await startHelper(new URL('e2e/subscriber.ts', import.meta.url), [mosquitto.url])
    : undefined;
  if (subscriber !== undefined) helpers.push(subscriber);
  const ctx: BenchContext = {
    broker,
    brokerPid: findProcess({ cwd: broker.directory }),
    mqttUrl: mosquitto.url,
    mosquittoPid: findProcess({ cmdline: mosquitto.logFile.replace(/mosquitto\.log$/, 'mosquitto.conf') }),
    receiver,
    hecUrl: (receiver.ready as { url: string }).url,
    subscriber,
    dir: scratch.path,
    partitions,
    ackDelayMs: Number(values['ack-delay-ms']),
    nodeFlags: values['node-flags'].split(' ').filter((flag) => flag !== ''),
    overrides,
    env,
    stallMs: Number(values['stall-seconds']) * 1000,
  };
  const topic = await createTopic(broker, { partitions });
  const t0 = performance.now();
  const bytes = await produceBacklog(broker, topic, records);
  console.log(
    `produced ${String(records)} records (${(bytes / records).toFixed(0)} B mean value) to ${topic} ` +
      `(${String(partitions)} partitions) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const pool = Array.from(recordValues(20_000, 'bench-e2e-steady'));
  const results: RunResult[] = [];
  for (let round = 1; round <= repeats; round += 1) {
    for (const profile of profiles) {
      let result: RunResult;
      try {
        const throughput = await throughputRun(ctx, profile, topic, records);
        const latency = values['no-latency']
          ? undefined
          : await latencyRun(ctx, profile, {
              rate: throughput.eventsPerSecond / 2,
              seconds: Number(values['latency-seconds']),
              pool,
            });
        result = { profile, round, throughput, ...(latency === undefined ? {} : { latency }) };
      } catch (error) {
        failed += 1;
        result = { profile, round, failure: error instanceof Error ? error.message : String(error) };
      }
      results.push(result);
      console.log(runLine(result));
    }
  }
  console.log(`\nmedians (load average at the end: ${loadAverage()}):\n`);
  console.log(mediansTable(results, profiles));
} finally {
  for (const helper of helpers) await helper.close();
  await mosquitto.dispose();
  await broker.dispose();
  if (failed === 0) await scratch.remove();
  else console.log(`logs of the runs kept in ${scratch.path}`);
}
process.exitCode = failed === 0 ? 0 : 1;
