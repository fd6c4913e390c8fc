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
  /** The AMQP peer and the connector reading it; undefined with `--no-amqp`. */
  readonly amqp:
    | {
        readonly endpoint: string;
        readonly namespace: string;
        readonly caFile: string;
        readonly eventHub: string;
        readonly partitions: number;
        readonly connectorFile: string;
        readonly connector: string;
        readonly consumerGroup: string;
        /** Empty when the connector has no file checkpoint store. */
        readonly checkpointFile: string;
      }
    | undefined;
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
  const amqp = v.amqp;
  const amqpLines =
    amqp === undefined
      ? []
      : [
          `  AMQP peer     Event Hubs AMQP test peer ${amqp.endpoint} as ${amqp.namespace} (in the lab process; CA ${f(amqp.caFile)})`,
          `                event hub ${amqp.eventHub}, ${String(amqp.partitions)} partitions, consumer group ${amqp.consumerGroup}`,
          `  logbridge     ${f(amqp.connectorFile)} (connector "${amqp.connector}", source.type=eventhubs) · ` +
            `checkpoints ${amqp.checkpointFile === '' ? '(not a file store)' : f(amqp.checkpointFile)}`,
        ];
  const generatorTargets = `${v.generator.topics.join(' + ')} over SASL_SSL${
    amqp === undefined ? '' : `, the Fluent Bit records to ${amqp.eventHub} over AMQP too`
  }`;
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
    ...amqpLines.slice(0, 2),
    `  logbridge     ${f(v.logbridge.connectorFile)} (connector "${v.logbridge.connector}") · REST ${v.logbridge.restUrl}`,
    ...amqpLines.slice(2),
    `  generator     ${String(v.generator.rate)} records/s to ${generatorTargets} · seed ${v.generator.seed}` +
      ` · dead letters to ${v.generator.deadLetterTopic || '(none)'}`,
    ``,
    `  Watch:`,
    `    tail -f ${f(v.files.hecEvents)}      events as Splunk HEC received them`,
    `    tail -f ${f(v.files.logbridgeLog)}        logbridge's log (JSON lines)`,
    `    tail -f ${f(v.files.mqttEvents)}     MQTT messages under acme/# (the mqtt sink, topics from the route transform)`,
    `  Ask logbridge:`,
    `    ${cli}`,
    `    curl -s ${status}`,
    ...(amqp === undefined ? [] : [`    curl -s ${v.logbridge.restUrl}/connectors/${amqp.connector}/status`]),
    `    curl -s ${v.logbridge.restUrl}/metrics | grep ^logbridge_`,
    `    curl -s ${v.logbridge.restUrl}/readyz`,
    `  The lab's settings in your shell (CA ${f(v.kafka.caFile)}, connection string${amqp === undefined ? '' : 's'}, URLs):`,
    `    set -a; . ${f(v.files.env)}; set +a; ./logbridge validate ${f(v.logbridge.connectorFile)}${
      amqp === undefined ? '' : ` ${f(amqp.connectorFile)}`
    }`,
    `  Process ids: ${f(v.files.pids)} · docs/lab.md tells how to try failures`,
    ``,
  ].join('\n');
}
