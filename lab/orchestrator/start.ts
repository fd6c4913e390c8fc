/**
 * Brings the lab up, step by step, registering each started part for the teardown: Kafka, Mosquitto, the HEC
 * server and the AMQP peer (together), the topics, the MQTT subscriber, logbridge with both connectors, then the
 * generator.
 * @module
 */
import { createTopic, startKafka, type KafkaBroker } from '../../test/support/kafka/index.ts';
import { startMosquitto, type MosquittoBroker } from '../../test/support/mosquitto/index.ts';
import { freePorts } from '../../test/support/ports.ts';
import { amqpFinalCount, amqpFinalCountLine, startLabAmqp, type LabAmqp } from './amqp.ts';
import type { LabConnector } from './connector.ts';
import { finalCount, finalCountLine } from './final-count.ts';
import { startLabGenerator, type LabGenerator } from './generator.ts';
import { startLabHec, type LabHec } from './hec.ts';
import { LabError } from './lab-error.ts';
import { writeLabEnv, type LabFiles } from './lab-files.ts';
import { startLabLogbridge, type LabLogbridge } from './logbridge.ts';
import { startMqttSubscriber, type MqttSubscriber } from './mqtt-subscriber.ts';
import { HecTopicCounter } from './progress.ts';
import { preflight } from './preflight.ts';
import type { LabSettings } from './settings.ts';
import { logbridgePart, noop, processPart } from './parts.ts';
import type { Teardown } from './teardown.ts';

/** The generator's topics; the connector must read both (`connectors/lab.json` does). */
export const LAB_TOPICS = { fluentBit: 'fluentbit-logs', cri: 'cri-logs' } as const;

/** Partitions of each data topic (a typical event hub has 4 or more). */
const partitions = 4;

/** Everything that runs once the lab is up. */
export interface RunningLab {
  readonly kafka: KafkaBroker;
  readonly mosquitto: MosquittoBroker;
  readonly hec: LabHec;
  readonly subscriber: MqttSubscriber;
  readonly logbridge: LabLogbridge;
  readonly generator: LabGenerator;
  /** The AMQP peer and connector; undefined with `--no-amqp`. */
  readonly amqp: LabAmqp | undefined;
}

/** What {@link startLab} works with. */
export interface StartContext {
  readonly settings: LabSettings;
  readonly connector: LabConnector;
  /** The second connector, reading the AMQP peer; undefined: none. */
  readonly amqpConnector: LabConnector | undefined;
  readonly files: LabFiles;
  readonly teardown: Teardown;
  readonly log: (line: string) => void;
  /** Aborted by Ctrl-C: the step under way finishes, no other starts. */
  readonly signal: AbortSignal;
}

/** Startup was interrupted by a signal. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/**
 * Starts everything.
 * @throws LabError saying what to fix, or Interrupted
 */
export async function startLab(context: StartContext): Promise<RunningLab> {
  const { settings, files, teardown, log } = context;
  const checkpoint = (): void => {
    if (context.signal.aborted) throw new Interrupted('interrupted while starting');
  };
  await preflight(settings);
  log(
    `starting Kafka, Mosquitto, the Splunk HEC test server${context.amqpConnector === undefined ? '' : ' and the Event Hubs AMQP test peer'}…`,
  );
  // The final count means something only once logbridge has run.
  const counting = { enabled: false, env: {} as Readonly<Record<string, string>> };
  const [kafka, mosquitto, hec, amqp] = await startPeers(context, counting);
  log(
    `Kafka ${kafka.version} ready; Mosquitto on ${mosquitto.url}; HEC on ${hec.url}` +
      (amqp === undefined ? '' : `; AMQP peer on ${amqp.peer.endpoint}`),
  );
  checkpoint();
  await step('creating the topics', 'read the Kafka log named above', () =>
    createTopics(kafka, context.connector),
  );
  const subscriber = await step('subscribing to acme/# on Mosquitto', `read ${mosquitto.logFile}`, () =>
    startMqttSubscriber(mosquitto.url, files.mqttEvents),
  );
  teardown.add({ name: 'the MQTT subscriber', stop: () => subscriber.close(), kill: noop });
  const [restPort = 0] = settings.restPort === 0 ? await freePorts(1) : [settings.restPort];
  const env = {
    ...labEnv(kafka, mosquitto, hec),
    ...amqp?.env,
    LOGBRIDGE_REST_PORT: String(restPort),
  };
  counting.env = env;
  await writeLabEnv(files, env);
  checkpoint();
  const connectors = [context.connector, ...(amqp === undefined ? [] : [amqp.connector])];
  log(`starting logbridge with ${connectors.map((connector) => connector.file).join(' and ')}…`);
  const logbridge = await startLabLogbridge({ connectors, restPort, env, files });
  teardown.add(logbridgePart(logbridge.process, log));
  counting.enabled = true;
  checkpoint();
  const generator = await step('starting the generator', 'read the Kafka log', () =>
    startLabGenerator({
      target: { connectionString: kafka.connectionString, caPem: kafka.caPem },
      rate: settings.rate,
      seed: settings.seed,
      topics: LAB_TOPICS,
      amqp:
        amqp === undefined
          ? undefined
          : {
              connectionString: amqp.peer.connectionString(),
              eventHub: amqp.eventHub.name,
              endpoint: amqp.peer.endpoint,
            },
      warn: log,
    }),
  );
  teardown.add({ name: 'the generator', stop: () => generator.stop(), kill: noop });
  return { kafka, mosquitto, hec, subscriber, logbridge, generator, amqp };
}

/** The variables the connector and a person's shell get (`lab.env`). */
function labEnv(kafka: KafkaBroker, mosquitto: MosquittoBroker, hec: LabHec): Record<string, string> {
  return {
    LAB_EVENTHUBS_CONNECTION_STRING: kafka.connectionString,
    LAB_KAFKA_CA_FILE: kafka.caFile,
    LAB_KAFKA_BOOTSTRAP: kafka.bootstrap,
    LAB_HEC_URI: hec.url,
    LAB_HEC_TOKEN: hec.token,
    LAB_MQTT_URL: mosquitto.url,
  };
}

/** The counting state the final count reads: enabled once logbridge runs, with the lab's env by then. */
interface Counting {
  readonly enabled: boolean;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Kafka, Mosquitto, HEC and the AMQP peer in parallel (Kafka takes the longest); whatever started is registered,
 * even on failure.
 */
async function startPeers(
  context: StartContext,
  counting: Counting,
): Promise<[KafkaBroker, MosquittoBroker, LabHec, LabAmqp | undefined]> {
  const { teardown, settings, files, amqpConnector } = context;
  const [kafka, mosquitto, hec, amqp] = await Promise.allSettled([
    step('starting Kafka', kafkaFix, () => startKafka({ heapMb: settings.kafkaHeapMb })),
    step('starting Mosquitto', 'run `make mosquitto` (Debian package), or set MOSQUITTO_BIN', () =>
      startMosquitto(),
    ),
    startLabHec(settings.hecPort, files),
    amqpConnector === undefined
      ? Promise.resolve(undefined)
      : step(
          'starting the Event Hubs AMQP test peer',
          'read the error above; the peer runs in the lab process (test/support/eventhubs/)',
          () => startLabAmqp(amqpConnector, files.amqpCheckpoints),
        ),
  ]);
  // Registered in start order, so that Kafka stops last, the AMQP peer just before; the final count runs before
  // both, once all else stopped.
  if (kafka.status === 'fulfilled') {
    const broker = kafka.value;
    teardown.add({ name: 'Kafka', stop: () => broker.dispose(), kill: () => broker.kill() });
  }
  if (amqp.status === 'fulfilled' && amqp.value !== undefined) {
    const started = amqp.value;
    // In this process: a forced stop ends it with the process.
    teardown.add({ name: 'the AMQP peer', stop: () => started.close(), kill: noop });
  }
  if (kafka.status === 'fulfilled') {
    const broker = kafka.value;
    const peer = amqp.status === 'fulfilled' ? amqp.value : undefined;
    teardown.add({
      name: 'the final count',
      quiet: true,
      stop: () => (counting.enabled ? printFinalCount(broker, peer, counting.env, context) : noop()),
      kill: noop,
    });
  }
  if (mosquitto.status === 'fulfilled')
    teardown.add({
      name: 'Mosquitto',
      stop: () => mosquitto.value.dispose(),
      kill: () => mosquitto.value.kill(),
    });
  if (hec.status === 'fulfilled') teardown.add(processPart('the HEC test server', hec.value.process));
  if (kafka.status === 'rejected') throw kafka.reason;
  if (mosquitto.status === 'rejected') throw mosquitto.reason;
  if (hec.status === 'rejected') throw hec.reason;
  if (amqp.status === 'rejected') throw amqp.reason;
  return [kafka.value, mosquitto.value, hec.value, amqp.value];
}

/** One line per connector: the Kafka one, then the AMQP one. */
async function printFinalCount(
  kafka: KafkaBroker,
  amqp: LabAmqp | undefined,
  env: Readonly<Record<string, string>>,
  context: StartContext,
): Promise<void> {
  const hec = await new HecTopicCounter(context.files.hecEvents).count();
  try {
    context.log(finalCountLine(await finalCount(kafka, context.connector, hec, context.files)));
  } catch (error) {
    context.log(`no final count: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (amqp === undefined) return;
  try {
    context.log(amqpFinalCountLine(await amqpFinalCount(amqp, hec, env)));
  } catch (error) {
    context.log(
      `no final count of ${amqp.connector.name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const kafkaFix =
  'install Java 17 or later (apt-get install openjdk-17-jre-headless) and fetch the jars once (make kafka, needs Maven); ' +
  'a broker that fails to start keeps its folder and log under .tmp/kafka-*';

async function createTopics(kafka: KafkaBroker, connector: LabConnector): Promise<void> {
  const data = new Set<string>([LAB_TOPICS.fluentBit, LAB_TOPICS.cri, ...connector.topics]);
  for (const name of data) await createTopic(kafka, { name, partitions });
  if (connector.deadLetterTopic !== '')
    await createTopic(kafka, { name: connector.deadLetterTopic, partitions: 1 });
}

/** Runs a step; an error that is not already a LabError becomes one, with `fix`. */
async function step<T>(what: string, fix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, fix, {
      cause: error,
    });
  }
}
