/**
 * The banner the lab prints once everything runs: what runs where, what to tail, what to ask logbridge.
 * @module
 */
import { relative } from 'node:path';
import type { LabFiles } from './lab-files.ts';

/** Everything the banner shows. */
export interface BannerView {
  readonly kafka: {
    readonly version: string;
    readonly bootstrap: string;
    readonly saslBootstrap: string;
    readonly caFile: string;
    readonly logFile: string;
  };
  readonly mosquitto: { readonly url: string; readonly logFile: string };
  readonly hec: { readonly url: string; readonly token: string };
  readonly logbridge: {
    readonly restUrl: string;
    readonly connectorFile: string;
    readonly connector: string;
  };
  readonly generator: {
    readonly rate: number;
    readonly seed: string;
    readonly topics: readonly string[];
    readonly deadLetterTopic: string;
  };
  readonly files: LabFiles;
  readonly durationS: number | undefined;
  readonly startedInS: number;
}

/** A path as short as it can be written from the current folder. */
export function shortPath(path: string): string {
  const near = relative(process.cwd(), path);
  return near.startsWith('..') || near === '' ? path : near;
}

/** The banner text (no trailing newline). */
export function banner(v: BannerView): string {
  const f = (path: string): string => shortPath(path);
  const status = `${v.logbridge.restUrl}/connectors/${v.logbridge.connector}/status`;
  const cli = `./logbridge status --url ${v.logbridge.restUrl}`;
  const stop =
    v.durationS === undefined
      ? 'Ctrl-C stops everything (a second Ctrl-C forces)'
      : `stops by itself after ${String(v.durationS)} s; Ctrl-C stops it sooner`;
  return [
    ``,
    `logbridge lab is up (${v.startedInS.toFixed(1)} s) — ${stop}`,
    ``,
    `  Kafka ${v.kafka.version}   PLAINTEXT ${v.kafka.bootstrap} · Event Hubs-like SASL_SSL ${v.kafka.saslBootstrap} (log ${f(v.kafka.logFile)})`,
    `  Mosquitto     ${v.mosquitto.url} (log ${f(v.mosquitto.logFile)})`,
    `  Splunk HEC    ${v.hec.url} · token ${v.hec.token} · ack off`,
    `  logbridge     ${f(v.logbridge.connectorFile)} (connector "${v.logbridge.connector}") · REST ${v.logbridge.restUrl}`,
    `  generator     ${String(v.generator.rate)} records/s to ${v.generator.topics.join(' + ')} over SASL_SSL · seed ${v.generator.seed}` +
      ` · dead letters to ${v.generator.deadLetterTopic || '(none)'}`,
    ``,
    `  Watch:`,
    `    tail -f ${f(v.files.hecEvents)}      events as Splunk HEC received them`,
    `    tail -f ${f(v.files.logbridgeLog)}        logbridge's log (JSON lines)`,
    `    tail -f ${f(v.files.mqttEvents)}     MQTT messages under acme/# (the mqtt sink, topics from the route transform)`,
    `  Ask logbridge:`,
    `    ${cli}`,
    `    curl -s ${status}`,
    `    curl -s ${v.logbridge.restUrl}/metrics | grep ^logbridge_`,
    `    curl -s ${v.logbridge.restUrl}/readyz`,
    `  The lab's settings in your shell (CA ${f(v.kafka.caFile)}, connection string, URLs):`,
    `    set -a; . ${f(v.files.env)}; set +a; ./logbridge validate ${f(v.logbridge.connectorFile)}`,
    `  Process ids: ${f(v.files.pids)} · docs/lab.md tells how to try failures`,
    ``,
  ].join('\n');
}
