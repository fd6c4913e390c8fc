import type { AzuriteCoordinates } from '../azurite/coordinates.ts';
import type { KafkaCoordinates } from '../kafka/coordinates.ts';
import type { MosquittoCoordinates } from '../mosquitto/coordinates.ts';
import type { CreatedPeer, CreatePeerRequest, DedicatedKafkaOptions, PeerAction } from './protocol.ts';

/** A peer process the main process controls: a broker, local or external. */
export interface ControlledPeer {
  coordinates(): KafkaCoordinates | MosquittoCoordinates | AzuriteCoordinates;
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  dispose(): Promise<void>;
}

/** How to start dedicated peers. */
export interface PeerFactories {
  kafka(options: DedicatedKafkaOptions): Promise<ControlledPeer>;
  mosquitto(): Promise<ControlledPeer>;
  azurite(): Promise<ControlledPeer>;
}

/** A refused or failed control request; `status` is the HTTP status to answer with. */
export class ControlError extends Error {
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ControlError';
    this.status = status;
  }
}

/**
 * The peers of one test run, by name: the shared ones from global setup and the dedicated ones test files ask
 * for. Disposes them all at the end of the run.
 */
export class PeerRegistry {
  readonly #peers = new Map<string, ControlledPeer>();
  readonly #shared = new Set<string>();
  /** The last action queued per peer: actions on one peer run one after another, never two starts at once. */
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #factories: PeerFactories;
  #created = 0;

  constructor(factories: PeerFactories) {
    this.#factories = factories;
  }

  /** Registers a peer every test file shares; it cannot be disposed through the control channel. */
  addShared(name: string, peer: ControlledPeer): void {
    this.#peers.set(name, peer);
    this.#shared.add(name);
  }

  /** Starts a dedicated peer and registers it under a new name. */
  async create(request: CreatePeerRequest): Promise<CreatedPeer> {
    const peer =
      request.kind === 'kafka'
        ? await this.#factories.kafka(request.options ?? {})
        : await this.#factories[request.kind]();
    const name = `${request.kind}-${++this.#created}`;
    this.#peers.set(name, peer);
    return { name, coordinates: peer.coordinates() };
  }

  /**
   * Applies an action to a named peer, after any action already under way on it.
   *
   * @throws ControlError 404 for an unknown peer, 409 to dispose a shared one, 500 when the action fails
   */
  act(name: string, action: PeerAction): Promise<void> {
    const queued = (this.#queues.get(name) ?? Promise.resolve()).then(() => this.#act(name, action));
    this.#queues.set(
      name,
      queued.catch(() => undefined),
    );
    return queued;
  }

  async #act(name: string, action: PeerAction): Promise<void> {
    const peer = this.#peers.get(name);
    if (peer === undefined) throw new ControlError(404, `no peer named ${name} (already disposed?)`);
    if (action === 'dispose' && this.#shared.has(name)) {
      throw new ControlError(409, `${name} is shared by the whole run: global teardown disposes it`);
    }
    try {
      await peer[action]();
    } catch (error) {
      throw new ControlError(500, `${action} ${name} failed: ${messageOf(error)}`, { cause: error });
    }
    if (action === 'dispose') {
      this.#peers.delete(name);
      this.#queues.delete(name);
    }
  }

  /**
   * Disposes every peer, all at once.
   *
   * @throws AggregateError of the disposals that failed, after trying them all
   */
  async disposeAll(): Promise<void> {
    const peers = [...this.#peers.values()];
    this.#peers.clear();
    const results = await Promise.allSettled(peers.map((peer) => peer.dispose()));
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length > 0) throw new AggregateError(failures, 'some test peers could not be disposed');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
