/**
 * Where connector definitions and target states live. Standalone mode keeps them in memory (seeded from files);
 * distributed mode keeps them in a compacted Kafka topic that every replica reads. Changes made through a store
 * reach every worker through the same listener, including the worker that made them.
 * @module
 */

/** What an operator asked a connector to be (Kafka Connect's target states). */
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** A connector as stored. */
export interface StoredConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly target: TargetState;
}

/** A change to apply. */
export type StoreChange =
  | { readonly kind: 'config'; readonly name: string; readonly config: Readonly<Record<string, unknown>> }
  | { readonly kind: 'target'; readonly name: string; readonly target: TargetState }
  | { readonly kind: 'restart'; readonly name: string; readonly onlyFailed: boolean }
  | { readonly kind: 'deleted'; readonly name: string };

/** A store of connector definitions and target states. */
export interface ConfigStore {
  /** `standalone` or `distributed`, for status output. */
  readonly mode: 'standalone' | 'distributed';
  /**
   * Loads what is stored and starts listening. Resolves with the current connectors; `listener` then receives every
   * later change (including those made through this store).
   */
  start(listener: (change: StoreChange) => void): Promise<readonly StoredConnector[]>;
  putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<void>;
  putTarget(name: string, target: TargetState): Promise<void>;
  requestRestart(name: string, onlyFailed: boolean): Promise<void>;
  remove(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Standalone mode: connectors in memory; changes apply at once and are lost on restart (files are the truth). */
export class MemoryConfigStore implements ConfigStore {
  readonly mode = 'standalone';
  readonly #initial: readonly StoredConnector[];
  #listener: (change: StoreChange) => void = () => undefined;

  constructor(initial: readonly StoredConnector[] = []) {
    this.#initial = initial;
  }

  async start(listener: (change: StoreChange) => void): Promise<readonly StoredConnector[]> {
    this.#listener = listener;
    return Promise.resolve(this.#initial);
  }

  async putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<void> {
    this.#listener({ kind: 'config', name, config });
    return Promise.resolve();
  }

  async putTarget(name: string, target: TargetState): Promise<void> {
    this.#listener({ kind: 'target', name, target });
    return Promise.resolve();
  }

  async requestRestart(name: string, onlyFailed: boolean): Promise<void> {
    this.#listener({ kind: 'restart', name, onlyFailed });
    return Promise.resolve();
  }

  async remove(name: string): Promise<void> {
    this.#listener({ kind: 'deleted', name });
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    return Promise.resolve();
  }
}
