/**
 * The engine fed by the eventhubs source, next to the kafka source: N records of 1 KiB produced first, then
 * logbridge's source → decode → tracker → a sink that acknowledges at once, with commits (checkpoints in Azurite's
 * Blob service). Prints records/s, MB/s, CPU, records per CPU-second and peak RSS of this process, then the same
 * figures of bench/kafka-source.ts (run first, as a child, with the same records and Node flags) side by side.
 *
 * The Event Hubs AMQP test peer (test/support/eventhubs) and the SDK's producer that fills it run in a helper
 * process (bench/eventhubs/peer.ts), Azurite in its own: this process's CPU is logbridge's alone; theirs over the
 * same window is read from /proc and printed apart. The source keeps its defaults (eventhubs.max.batch.size,
 * prefetch = max batch size, max wait) but the load balancing strategy is greedy: balanced claims one partition per
 * update interval (10 s), which would measure the claiming, not the reading. BENCH_SOURCE (JSON) overrides keys.
 *
 *   node --max-old-space-size=128 --max-semi-space-size=16 bench/eventhubs-source.ts [records=300000] \
 *     [recordBytes=1024] [--no-kafka]
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import { pino } from 'pino';
import { createEventHubsSource, validateEventHubsSource } from '../src/sources/eventhubs/index.ts';
import { startAzurite } from '../test/support/azurite/index.ts';
import { startHelper } from './e2e/child.ts';
import { cpuSecondsOf, findProcess } from './e2e/proc.ts';
import type { PeerAddress, Workload } from './eventhubs/peer.ts';
import { type Figures, report, sampleRss } from './report.ts';
import { InstantSink, sourceBenchConnector } from './instant-sink.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'no-kafka': { type: 'boolean', default: false } },
});
const total = Number(positionals[0] ?? 300_000);
const recordBytes = Number(positionals[1] ?? 1024);
const partitions = 8; // as bench/kafka-source.ts

const kafka = flags['no-kafka'] ? undefined : kafkaFigures();
const eventHubs = await eventHubsFigures();
if (kafka !== undefined)
  sideBySide([
    ['kafka', kafka],
    ['eventhubs', rowOf(eventHubs)],
  ]);

/** One source's figures as report() prints them. */
interface Row {
  readonly recordsPerSecond: number;
  readonly mibPerSecond: number;
  readonly cpuSeconds: number;
  readonly recordsPerCpuSecond: number;
  readonly peakRssMib: number;
}

/** Runs bench/kafka-source.ts with the same records and Node flags, prints its output, reads its figures back. */
function kafkaFigures(): Row {
  const script = new URL('kafka-source.ts', import.meta.url).pathname;
  const run = spawnSync(process.execPath, [...process.execArgv, script, String(total), String(recordBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0)
    throw new Error(`bench/kafka-source.ts failed (exit ${String(run.status ?? run.signal)})`);
  const figure = (label: string): number => {
    const match = new RegExp(`^\\s+${label}\\s+([\\d.]+)`, 'm').exec(run.stdout);
    if (match?.[1] === undefined) throw new Error(`no "${label}" in the output of bench/kafka-source.ts`);
    return Number(match[1]);
  };
  return {
    recordsPerSecond: figure('records/s'),
    mibPerSecond: figure('MiB/s'),
    cpuSeconds: figure('cpu s'),
    recordsPerCpuSecond: figure('records/cpu-s'),
    peakRssMib: figure('peak RSS'),
  };
}

/** The row of figures report() printed. */
function rowOf(f: Figures): Row {
  const cpuSeconds = f.cpuSeconds ?? Number.NaN;
  return {
    recordsPerSecond: Math.round(f.records / f.seconds),
    mibPerSecond: f.bytes / 1024 / 1024 / f.seconds,
    cpuSeconds,
    recordsPerCpuSecond: Math.round(f.records / cpuSeconds),
    peakRssMib: (f.peakRssBytes ?? Number.NaN) / 1024 / 1024,
  };
}

async function eventHubsFigures(): Promise<Figures> {
  const azurite = await startAzurite();
  // Node's default heap for the peer, not this process's flags: it holds every event in memory.
  const peer = await startHelper(new URL('eventhubs/peer.ts', import.meta.url), [], []);
  // Azurite's process: the one started with its scratch directory in its arguments.
  const azuritePid = findProcess({ cmdline: dirname(azurite.logFile) }) ?? -1;
  try {
    const address = peer.ready as PeerAddress;
    const hub = 'bench';
    const container = 'bench-checkpoints';
    await new ContainerClient(azurite.connectionString, container).create();
    const workload: Workload = {
      hub,
      partitions,
      consumerGroup: 'logbridge-bench',
      records: total,
      recordBytes,
    };
    const stored = await peer.call<number>('produce', workload);
    if (stored !== total) throw new Error(`the peer holds ${stored} events, ${total} were sent`);

    const { config, issues } = validateEventHubsSource(
      {
        topics: hub,
        'eventhubs.connection.string': address.connectionString,
        'eventhubs.endpoint.address': address.endpoint,
        'eventhubs.ssl.ca.location': address.caFile,
        'eventhubs.checkpoint.store': 'blob',
        'eventhubs.checkpoint.blob.connection.string': azurite.connectionString,
        'eventhubs.checkpoint.blob.container': container,
        'eventhubs.load.balancing.strategy': 'greedy',
        ...(JSON.parse(process.env.BENCH_SOURCE ?? '{}') as Record<string, string>),
      },
      'bench',
      'bench',
    );
    if (config === undefined) throw new Error(`bench source: ${JSON.stringify(issues)}`);
    console.log(
      `eventhubs source settings: eventhubs.max.batch.size=${config.maxBatchSize}, prefetch ${config.maxBatchSize} ` +
        `(= max batch size, src/sources/eventhubs/source.ts), eventhubs.max.wait.time.seconds=` +
        `${config.maxWaitTimeSeconds}, load balancing ${config.loadBalancing.strategy} every ` +
        `${config.loadBalancing.updateIntervalMs} ms, ${partitions} partitions`,
    );
    const logger = pino({ level: 'warn' });
    const { source } = createEventHubsSource(config, undefined, logger);
    const sink = new InstantSink(total);
    const connector = sourceBenchConnector(source, sink, logger);
    const rss = sampleRss();
    const peerCpu0 = cpuSecondsOf(peer.pid);
    const azuriteCpu0 = cpuSecondsOf(azuritePid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await connector.start();
    await sink.done.promise;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const peerCpu = cpuSecondsOf(peer.pid) - peerCpu0;
    const azuriteCpu = cpuSecondsOf(azuritePid) - azuriteCpu0;
    await connector.stop();
    const figures: Figures = {
      records: total,
      seconds,
      bytes: total * recordBytes,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssBytes: rss.stop(),
    };
    report(
      'eventhubs source → engine → instant sink (AMQP test peer on loopback, checkpoints in Azurite)',
      figures,
    );
    console.log(
      `  not counted    peer + producer process ${peerCpu.toFixed(2)} cpu s, Azurite ${azuriteCpu.toFixed(2)} cpu s`,
    );
    await peer.call('close');
    return figures;
  } finally {
    await peer.close();
    await azurite.dispose();
  }
}

/** One line per source: the figures of report() in columns. */
function sideBySide(rows: readonly (readonly [string, Row])[]): void {
  const lines = [`\nsources side by side (${total} records of ${recordBytes} B, ${partitions} partitions)`];
  lines.push('  source       records/s   MiB/s   cpu s   records/cpu-s   peak RSS MiB');
  for (const [name, r] of rows) {
    lines.push(
      `  ${name.padEnd(10)} ${String(r.recordsPerSecond).padStart(11)} ${r.mibPerSecond.toFixed(1).padStart(7)} ` +
        `${r.cpuSeconds.toFixed(2).padStart(7)} ${String(r.recordsPerCpuSecond).padStart(15)} ` +
        r.peakRssMib.toFixed(1).padStart(14),
    );
  }
  console.log(lines.join('\n'));
}
