/**
 * vitest global setup of the `integration` and `e2e` projects: starts ONE Kafka broker, ONE Mosquitto and ONE
 * Azurite per `vitest run`, as children of vitest's main process, provides their coordinates to test files
 * (`inject('kafka')`, …, or better `kafkaPeer()`/`mosquittoPeer()`/`azuritePeer()` from `peers.ts`) and serves
 * the control channel through which test files stop, start and kill them or get dedicated ones.
 *
 * vitest runs global setup once per project; both projects list this file, so the peers are kept on `globalThis`
 * of the main process, counted, and disposed by the last project's teardown.
 */
import { relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzurite, type AzuriteCoordinates } from './azurite/index.ts';
import { sharedPeerNames, type ControlAddress } from './control/protocol.ts';
import { PeerRegistry, type ControlledPeer } from './control/registry.ts';
import { startControlServer } from './control/server.ts';
import { ExternalKafka, externalKafkaFromEnv, startKafka, waitForKafka } from './kafka/index.ts';
import type { KafkaCoordinates } from './kafka/coordinates.ts';
import { startMosquitto } from './mosquitto/index.ts';
import type { MosquittoCoordinates } from './mosquitto/coordinates.ts';
import { repoRoot } from './paths.ts';

/** What one run's peers give test files, and how to let them go. */
interface RunPeers {
  readonly kafka: KafkaCoordinates;
  readonly mosquitto: MosquittoCoordinates;
  readonly azurite: AzuriteCoordinates;
  readonly peerControl: ControlAddress;
  release(): Promise<void>;
}

interface RunState {
  projects: number;
  readonly peers: Promise<RunPeers>;
}

const stateKey: unique symbol = Symbol.for('logbridge.test.peers');
const externalReadyTimeoutMs = 30_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const global = globalThis as { [stateKey]?: RunState | undefined };
  const state = (global[stateKey] ??= { projects: 0, peers: startRunPeers() });
  state.projects++;
  const peers = await state.peers;
  project.provide('kafka', peers.kafka);
  project.provide('mosquitto', peers.mosquitto);
  project.provide('azurite', peers.azurite);
  project.provide('peerControl', peers.peerControl);
  return async () => {
    if (--state.projects > 0) return;
    global[stateKey] = undefined;
    await peers.release();
  };
}

async function startRunPeers(): Promise<RunPeers> {
  const registry = new PeerRegistry({
    kafka: (options) => startKafka(options),
    mosquitto: () => startMosquitto(),
    azurite: () => startAzurite(),
  });
  try {
    const [kafka, mosquitto, azurite] = await startAll(
      [timed('kafka', sharedKafka), timed('mosquitto', startMosquitto), timed('azurite', startAzurite)],
      registry,
    );
    const control = await startControlServer(registry);
    announce(kafka, mosquitto, azurite);
    return {
      kafka: kafka.peer.coordinates() as KafkaCoordinates,
      mosquitto: mosquitto.peer.coordinates() as MosquittoCoordinates,
      azurite: azurite.peer.coordinates() as AzuriteCoordinates,
      peerControl: control.address,
      async release() {
        await control.close();
        await registry.disposeAll();
      },
    };
  } catch (error) {
    await registry.disposeAll();
    throw error;
  }
}

interface Started {
  readonly name: string;
  readonly peer: ControlledPeer;
  readonly seconds: number;
}

/** Starts the shared peers in parallel and registers those that started, so a failure releases the others. */
async function startAll(
  starts: readonly [Promise<Started>, Promise<Started>, Promise<Started>],
  registry: PeerRegistry,
): Promise<[Started, Started, Started]> {
  const results = await Promise.allSettled(starts);
  for (const result of results) {
    if (result.status === 'fulfilled') registry.addShared(result.value.name, result.value.peer);
  }
  const [kafka, mosquitto, azurite] = results;
  if (kafka.status === 'rejected') throw kafka.reason;
  if (mosquitto.status === 'rejected') throw mosquitto.reason;
  if (azurite.status === 'rejected') throw azurite.reason;
  return [kafka.value, mosquitto.value, azurite.value];
}

async function timed(
  name: keyof typeof sharedPeerNames,
  start: () => Promise<ControlledPeer>,
): Promise<Started> {
  const startedAt = performance.now();
  const peer = await start();
  return { name: sharedPeerNames[name], peer, seconds: (performance.now() - startedAt) / 1000 };
}

/** The local broker, or the one `KAFKA_BOOTSTRAP` names once it answers. */
async function sharedKafka(): Promise<ControlledPeer> {
  const external = await externalKafkaFromEnv();
  if (external === undefined) return startKafka();
  try {
    await waitForKafka(external.bootstrap, { timeoutMs: externalReadyTimeoutMs });
  } catch (error) {
    throw new Error(
      `KAFKA_BOOTSTRAP=${external.bootstrap} did not answer: check the address, or unset it to let the tests ` +
        'start their own broker.',
      { cause: error },
    );
  }
  return new ExternalKafka(external);
}

/** One visible line per peer, so a CI log shows which broker and listeners the run used. */
function announce(kafka: Started, mosquitto: Started, azurite: Started): void {
  const k = kafka.peer.coordinates() as KafkaCoordinates;
  const m = mosquitto.peer.coordinates() as MosquittoCoordinates;
  const sasl =
    k.saslBootstrap === undefined
      ? 'no SASL_SSL listener (set KAFKA_SASL_BOOTSTRAP and KAFKA_CONNECTION_STRING)'
      : `SASL_SSL ${k.saslBootstrap} (Event Hubs-like)`;
  const which = k.external ? 'external broker (KAFKA_BOOTSTRAP)' : (k.version ?? '');
  const how = k.external ? '' : `; ready in ${kafka.seconds.toFixed(1)} s, log ${shortPath(k.logFile)}`;
  console.log(`[test peers] kafka ${which} PLAINTEXT ${k.bootstrap}, ${sasl}${how}`);
  console.log(
    `[test peers] mosquitto ${m.url}; ready in ${mosquitto.seconds.toFixed(1)} s, log ${shortPath(m.logFile)}`,
  );
  const a = azurite.peer.coordinates() as AzuriteCoordinates;
  console.log(
    `[test peers] azurite ${a.blobEndpoint}; ready in ${azurite.seconds.toFixed(1)} s, log ${shortPath(a.logFile)}`,
  );
}

function shortPath(file: string | undefined): string {
  return file === undefined ? 'none' : relative(repoRoot, file);
}
