/**
 * The real peers of a test run, as test files see them: coordinates plus stop/start/kill, carried out by vitest's
 * main process (which owns the broker processes) over the control channel.
 *
 * The shared peers serve every test file of the run. Integration test files run in parallel, so stopping a shared
 * peer there breaks the files running beside it: for fault tests, ask for a dedicated peer. e2e files run one at a
 * time after all integration files (`fileParallelism: false`), so they may stop the shared ones.
 */
import { inject } from 'vitest';
import { controlRequest } from './control/client.ts';
import {
  sharedPeerNames,
  type CreatedPeer,
  type DedicatedKafkaOptions,
  type PeerAction,
} from './control/protocol.ts';
import type { AzuriteCoordinates } from './azurite/coordinates.ts';
import type { KafkaCoordinates } from './kafka/coordinates.ts';
import type { MosquittoCoordinates } from './mosquitto/coordinates.ts';

/** What a test can do to a peer. Each resolves once done: `start` once the peer answers clients again. */
export interface PeerControls {
  /** Name on the control channel: `kafka`, `mosquitto`, `azurite`, or `<kind>-<n>` for dedicated ones. */
  readonly name: string;
  /** Starts it again on the same port(s), keeping Kafka's data and credentials. No-op while it runs. */
  start(): Promise<void>;
  /** Stops it gracefully (SIGTERM, SIGKILL after a timeout). No-op when stopped. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash. No-op when stopped. */
  kill(): Promise<void>;
}

/** A peer started for one test file; dispose it in `afterAll` (global teardown disposes any left over). */
export interface DedicatedPeer {
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

export type KafkaPeer = KafkaCoordinates & PeerControls;
export type MosquittoPeer = MosquittoCoordinates & PeerControls;
export type AzuritePeer = AzuriteCoordinates & PeerControls;

/**
 * The run's shared Kafka broker. With `KAFKA_BOOTSTRAP` it is external and its controls throw.
 */
export function kafkaPeer(): KafkaPeer {
  return { ...inject('kafka'), ...controls(sharedPeerNames.kafka) };
}

/** The run's shared Azurite (Blob service, for checkpoint stores). */
export function azuritePeer(): AzuritePeer {
  return { ...inject('azurite'), ...controls(sharedPeerNames.azurite) };
}

/** The run's shared Mosquitto. */
export function mosquittoPeer(): MosquittoPeer {
  return { ...inject('mosquitto'), ...controls(sharedPeerNames.mosquitto) };
}

/**
 * Starts a Kafka broker for the calling test file alone (about 2 s), e.g. for fault tests.
 *
 * @throws Error when the run uses an external broker (`KAFKA_BOOTSTRAP`) or the broker does not start
 */
export async function dedicatedKafka(
  options: DedicatedKafkaOptions = {},
): Promise<KafkaPeer & DedicatedPeer> {
  if (inject('kafka').external) {
    throw new Error(
      `KAFKA_BOOTSTRAP=${inject('kafka').bootstrap} is set, so no local broker can be started for this test: ` +
        'unset it to run fault tests.',
    );
  }
  const created = await controlRequest<CreatedPeer>(inject('peerControl'), '/peers', {
    kind: 'kafka',
    options,
  });
  return {
    ...(created.coordinates as KafkaCoordinates),
    ...controls(created.name),
    dispose: act(created.name, 'dispose'),
  };
}

/** Starts a Mosquitto for the calling test file alone (well under a second). */
export async function dedicatedMosquitto(): Promise<MosquittoPeer & DedicatedPeer> {
  const created = await controlRequest<CreatedPeer>(inject('peerControl'), '/peers', { kind: 'mosquitto' });
  return {
    ...(created.coordinates as MosquittoCoordinates),
    ...controls(created.name),
    dispose: act(created.name, 'dispose'),
  };
}

function controls(name: string): PeerControls {
  return { name, start: act(name, 'start'), stop: act(name, 'stop'), kill: act(name, 'kill') };
}

function act(name: string, action: PeerAction): () => Promise<void> {
  return async () => {
    await controlRequest(inject('peerControl'), `/peers/${encodeURIComponent(name)}/${action}`);
  };
}
