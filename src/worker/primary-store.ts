/**
 * A member process's store (`workers` > 1): the connectors of the primary process, read over the IPC channel.
 * A member runs only the connectors whose source balances partitions among a group's members
 * ({@link runsInMembers}); changes go through the primary's REST API, never through a member.
 * @module
 */
import type { FromMember, ToMember } from './member-protocol.ts';
import { runsInMembers } from './member-protocol.ts';
import type { ConfigStore, StoreChange, StoredConnector, TargetState } from './store.ts';

/** The IPC end a member talks through (the `process` of a forked child). */
export interface PrimaryChannel {
  send(message: FromMember): void;
  on(event: 'message', listener: (message: ToMember) => void): void;
  off(event: 'message', listener: (message: ToMember) => void): void;
}

export class PrimaryStore implements ConfigStore {
  readonly mode = 'standalone';
  readonly #channel: PrimaryChannel;
  /** Connectors this member runs. */
  readonly #mine = new Set<string>();
  #onMessage: ((message: ToMember) => void) | undefined;

  constructor(channel: PrimaryChannel) {
    this.#channel = channel;
  }

  start(listener: (change: StoreChange) => void): Promise<readonly StoredConnector[]> {
    return new Promise((resolve) => {
      this.#onMessage = (message) => {
        if (message.type === 'connectors') {
          const kept = message.connectors.filter((c) => runsInMembers(c.config));
          for (const c of kept) this.#mine.add(c.name);
          resolve(kept);
        } else if (message.type === 'change') {
          const change = this.#filter(message.change);
          if (change !== undefined) listener(change);
        }
      };
      this.#channel.on('message', this.#onMessage);
      this.#channel.send({ type: 'ready' });
    });
  }

  /** The change as this member applies it: a connector whose source moved away from Kafka is deleted here. */
  #filter(change: StoreChange): StoreChange | undefined {
    if (change.kind === 'config') {
      if (runsInMembers(change.config)) {
        this.#mine.add(change.name);
        return change;
      }
      return this.#mine.delete(change.name) ? { kind: 'deleted', name: change.name } : undefined;
    }
    if (change.kind === 'deleted') this.#mine.delete(change.name);
    // Targets may come before their definition; the worker keeps them until it arrives.
    return change;
  }

  putConfig(): Promise<void> {
    return refused();
  }

  putTarget(_name: string, _target: TargetState): Promise<void> {
    return refused();
  }

  requestRestart(): Promise<void> {
    return refused();
  }

  remove(): Promise<void> {
    return refused();
  }

  stop(): Promise<void> {
    if (this.#onMessage !== undefined) this.#channel.off('message', this.#onMessage);
    return Promise.resolve();
  }
}

function refused(): Promise<void> {
  return Promise.reject(new Error('a member process changes connectors only through the primary process'));
}
