/**
 * The lab's supervisor: the process that owns Kafka, Mosquitto, the HEC server and logbridge, in a process group
 * of its own (see `lab/run.ts`), so that a terminal's Ctrl-C reaches only it and it stops them in order.
 *
 * First SIGINT/SIGTERM (or `--for` elapsed, or `lab/run.ts` gone): stop the generator, SIGTERM logbridge and wait
 * while it drains and commits, stop the MQTT subscriber, HEC, Mosquitto and Kafka, check that no process is left,
 * exit 0. A second signal kills everything at once and exits 130.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { banner } from './banner.ts';
import { readLabConnector, resolveLabValue, type LabConnector } from './connector.ts';
import { LabError } from './lab-error.ts';
import { labFiles, resetLabFiles } from './lab-files.ts';
import { watchProgress } from './watch.ts';
import { descendantsOf, processTable, roleOf, writePids } from './processes.ts';
import { readSettings, SettingsError, USAGE, type LabSettings } from './settings.ts';
import { Interrupted, LAB_TOPICS, startLab, type RunningLab } from './start.ts';
import { Teardown } from './teardown.ts';
import { containKafkajsWarnings } from '../../src/cli/warnings.ts';

// kafkajs 2.2.4 warns of a negative timeout of its own; every other warning is printed, as src/cli/main.ts does.
containKafkajsWarnings();

const log = (line: string): void => {
  // After a forced stop, the parts' reports (a killed logbridge "exited with SIGKILL") would only confuse.
  if (!forced) process.stdout.write(`lab: ${line}\n`);
};
const startedAtMs = Number(process.env['LAB_T0_MS'] ?? Date.now());
const secondsSinceStart = (): number => (Date.now() - startedAtMs) / 1000;

const teardown = new Teardown();
const stopRequest = new AbortController();
let forced = false;

function requestStop(reason: string): void {
  if (stopRequest.signal.aborted) {
    if (forced) return;
    log(`${reason} again: killing everything now`);
    forced = true;
    setTimeout(() => process.exit(130), 10_000).unref();
    void teardown.killAll().finally(() => process.exit(130));
    return;
  }
  log(`${reason}: stopping (generator, then logbridge drains and commits, then the brokers)…`);
  stopRequest.abort();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    requestStop(signal);
  });
}

// lab/run.ts forwards signals; if it is gone (killed), nobody would, so stop as if asked.
const parentPid = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid !== parentPid && !stopRequest.signal.aborted) requestStop('lab/run.ts is gone');
}, 1000);

process.exitCode = await main(process.argv.slice(2));
clearInterval(parentWatch);
process.exit();

async function main(argv: readonly string[]): Promise<number> {
  let settings: LabSettings | 'help';
  try {
    settings = readSettings(argv, process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (settings === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let failure: unknown;
  try {
    await runLab(settings);
  } catch (error) {
    failure = error;
  }
  await teardown.stopAll(log);
  const clean = await noneLeft();
  // Last, so that what to fix is the last thing on the screen.
  const code = failure === undefined ? 0 : report(failure);
  return clean ? code : 1;
}

async function runLab(settings: LabSettings): Promise<void> {
  const files = labFiles(settings.outDir);
  await resetLabFiles(files);
  const connector = readLabConnector(settings.connectorFile);
  const amqpConnector =
    settings.amqpConnectorFile === undefined
      ? undefined
      : readLabConnector(settings.amqpConnectorFile, 'LAB_AMQP_CONNECTOR');
  checkSources(connector, amqpConnector);
  const lab = await startLab({
    settings,
    connector,
    amqpConnector,
    files,
    teardown,
    log,
    signal: stopRequest.signal,
  });
  await writePids(files.pids, {
    lab: parentPid,
    supervisor: process.pid,
    children: descendantsOf(await processTable(), process.pid).map((p) => ({
      ...p,
      name: roleOf(p.command),
    })),
  });
  process.stdout.write(`${banner(viewOf(lab, settings, connector, files))}\n`);
  watchLogbridge(lab);
  if (settings.durationS !== undefined) {
    const durationS = settings.durationS;
    void sleep(durationS * 1000, undefined, { signal: stopRequest.signal }).then(
      () => {
        requestStop(`${String(durationS)} s are up`);
      },
      () => undefined,
    );
  }
  await watchProgress({
    lab,
    connector,
    files,
    settings,
    log,
    since: secondsSinceStart,
    signal: stopRequest.signal,
  });
}

/** The first connector reads Kafka, the second the AMQP peer: the lab creates topics and hubs accordingly. */
function checkSources(connector: LabConnector, amqpConnector: LabConnector | undefined): void {
  if (connector.source !== 'kafka')
    throw new LabError(
      `the connector ${connector.file} reads Event Hubs over AMQP (source.type=eventhubs); the lab's first connector reads Kafka`,
      'give it with --amqp-connector (LAB_AMQP_CONNECTOR) instead, and a kafka connector with --connector',
    );
  if (amqpConnector !== undefined && amqpConnector.source !== 'eventhubs')
    throw new LabError(
      `the connector ${amqpConnector.file} does not read over AMQP (it needs source.type=eventhubs)`,
      'give it with --connector (LAB_CONNECTOR), or turn the AMQP connector off with --no-amqp',
    );
  if (amqpConnector?.name === connector.name)
    throw new LabError(
      `both connectors are named "${connector.name}"`,
      `rename one of ${connector.file} and ${amqpConnector.file}`,
    );
}

function viewOf(
  lab: RunningLab,
  settings: LabSettings,
  connector: LabConnector,
  files: ReturnType<typeof labFiles>,
): Parameters<typeof banner>[0] {
  return {
    kafka: {
      version: lab.kafka.version,
      bootstrap: lab.kafka.bootstrap,
      saslBootstrap: lab.kafka.saslBootstrap,
      caFile: lab.kafka.caFile,
      logFile: lab.kafka.logFile,
    },
    mosquitto: lab.mosquitto,
    hec: lab.hec,
    logbridge: { restUrl: lab.logbridge.restUrl, connectorFile: connector.file, connector: connector.name },
    amqp:
      lab.amqp === undefined
        ? undefined
        : {
            endpoint: lab.amqp.peer.endpoint,
            namespace: lab.amqp.peer.host,
            caFile: lab.amqp.peer.caFile,
            eventHub: lab.amqp.eventHub.name,
            partitions: lab.amqp.eventHub.partitions.length,
            connectorFile: lab.amqp.connector.file,
            connector: lab.amqp.connector.name,
            consumerGroup: lab.amqp.connector.groupId,
            checkpointFile: resolveLabValue(lab.amqp.connector.checkpointFile, lab.amqp.env),
          },
    generator: {
      rate: settings.rate,
      seed: settings.seed,
      topics: [LAB_TOPICS.fluentBit, LAB_TOPICS.cri],
      deadLetterTopic: connector.deadLetterTopic,
    },
    files,
    durationS: settings.durationS,
    startedInS: secondsSinceStart(),
  };
}

/** Says so when logbridge exits on its own (a person's `kill -9`, a crash); the lab keeps running. */
function watchLogbridge(lab: RunningLab): void {
  void lab.logbridge.process.exited.then((status) => {
    if (stopRequest.signal.aborted) return;
    const how = status.signal === null ? `code ${String(status.code)}` : `signal ${status.signal}`;
    log(`logbridge exited (${how}); the lab keeps running. docs/lab.md shows how to start it again by hand.`);
  });
}

function report(error: unknown): number {
  if (error instanceof Interrupted) return 0;
  if (error instanceof LabError) {
    process.stderr.write(`\nlab: ✗ ${error.message}\nlab:   to fix: ${error.fix}\n\n`);
  } else {
    process.stderr.write(
      `\nlab: ✗ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n\n`,
    );
  }
  return 1;
}

/** True when no process started by the lab is left; kills and lists any that is (after a grace period). */
async function noneLeft(): Promise<boolean> {
  let left = descendantsOf(await processTable(), process.pid);
  for (let i = 0; i < 25 && left.length > 0; i += 1) {
    await sleep(200);
    left = descendantsOf(await processTable(), process.pid).filter((p) => !p.command.startsWith('ps '));
  }
  if (left.length === 0) {
    if (teardown.used) log('stopped; no Kafka, Mosquitto, HEC or logbridge process is left');
    return true;
  }
  for (const p of left) {
    log(`✗ still running after the stop, killing it: pid ${String(p.pid)} ${p.command.slice(0, 120)}`);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return false;
}
