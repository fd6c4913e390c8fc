/**
 * The contract between vitest's main process, where the peers run as child processes, and test files in workers:
 * what global setup provides (`inject(...)`) and the small HTTP protocol of the control channel.
 *
 * Routes (JSON bodies, `Authorization: Bearer <token>`):
 * - `POST /peers` `{ kind, options? }` → `{ name, coordinates }`: starts a dedicated peer for one test file
 * - `POST /peers/<name>/<action>` → `{}`: `start`, `stop`, `kill` or `dispose` (dedicated peers only) a peer;
 *   the shared ones are named `kafka` and `mosquitto`
 * - errors → `{ error }` with status 400 (bad request), 401, 404 (unknown peer), 409 (refused), 500 (failed)
 */
import type { AzuriteCoordinates } from '../azurite/coordinates.ts';
import type { KafkaCoordinates } from '../kafka/coordinates.ts';
import type { MosquittoCoordinates } from '../mosquitto/coordinates.ts';

/** Where the control channel listens, and the token it expects. */
export interface ControlAddress {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
}

export type PeerKind = 'kafka' | 'mosquitto' | 'azurite';

export const peerActions = ['start', 'stop', 'kill', 'dispose'] as const;
export type PeerAction = (typeof peerActions)[number];

/** Names of the peers that global setup starts once per run and every test file shares. */
export const sharedPeerNames = {
  kafka: 'kafka',
  mosquitto: 'mosquitto',
  azurite: 'azurite',
} as const satisfies Record<PeerKind, string>;

/** Options of a dedicated Kafka broker (a subset of `StartKafkaOptions` that crosses processes). */
export interface DedicatedKafkaOptions {
  /** server.properties entries that replace or add to the harness defaults. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Keep its directory under `.tmp/` after dispose, to inspect it. */
  readonly keepData?: boolean;
}

/** Body of `POST /peers`. */
export type CreatePeerRequest =
  | { readonly kind: 'kafka'; readonly options?: DedicatedKafkaOptions }
  | { readonly kind: 'mosquitto' }
  | { readonly kind: 'azurite' };

/** Answer to `POST /peers`. */
export interface CreatedPeer {
  readonly name: string;
  readonly coordinates: KafkaCoordinates | MosquittoCoordinates | AzuriteCoordinates;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Kafka broker (local, or external with `KAFKA_BOOTSTRAP`). */
    kafka: KafkaCoordinates;
    /** The run's shared Mosquitto. */
    mosquitto: MosquittoCoordinates;
    /** The run's shared Azurite (Blob service). */
    azurite: AzuriteCoordinates;
    /** The control channel to stop, start and kill peers from a test file. */
    peerControl: ControlAddress;
  }
}
