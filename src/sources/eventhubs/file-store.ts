/**
 * A checkpoint store in one local JSON file, for a single replica with a volume: the SDK's `CheckpointStore`
 * contract (ownership claimed with etags, as the Blob store does, so the SDK's load balancer works unchanged) with
 * every change written to a temporary file and renamed over the old one (a crash leaves the old or the new file,
 * never half of one). Several processes must not share it: use the Blob store for replicas.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';

interface StoreFile {
  readonly version: 1;
  ownerships: PartitionOwnership[];
  checkpoints: Checkpoint[];
}

interface Entity {
  readonly fullyQualifiedNamespace: string;
  readonly eventHubName: string;
  readonly consumerGroup: string;
}

const sameEntity = (a: Entity, b: Entity): boolean =>
  a.fullyQualifiedNamespace.toLowerCase() === b.fullyQualifiedNamespace.toLowerCase() &&
  a.eventHubName.toLowerCase() === b.eventHubName.toLowerCase() &&
  a.consumerGroup.toLowerCase() === b.consumerGroup.toLowerCase();

/** The local file checkpoint store. */
export class FileCheckpointStore implements CheckpointStore {
  readonly #path: string;
  #state: Promise<StoreFile> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async listOwnership(namespace: string, eventHub: string, group: string): Promise<PartitionOwnership[]> {
    const state = await this.#load();
    const entity = { fullyQualifiedNamespace: namespace, eventHubName: eventHub, consumerGroup: group };
    return state.ownerships.filter((o) => sameEntity(o, entity)).map((o) => ({ ...o }));
  }

  /** Claims each ownership whose etag matches the stored one (or that nobody owned yet); returns those claimed. */
  async claimOwnership(ownerships: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const state = await this.#load();
    const claimed: PartitionOwnership[] = [];
    for (const wanted of ownerships) {
      const index = state.ownerships.findIndex(
        (o) => sameEntity(o, wanted) && o.partitionId === wanted.partitionId,
      );
      const current = index === -1 ? undefined : state.ownerships[index];
      if (current !== undefined && current.etag !== wanted.etag) continue;
      const next = { ...wanted, etag: randomUUID(), lastModifiedTimeInMs: Date.now() };
      if (index === -1) state.ownerships.push(next);
      else state.ownerships[index] = next;
      claimed.push({ ...next });
    }
    if (claimed.length > 0) await this.#save(state);
    return claimed;
  }

  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const state = await this.#load();
    const index = state.checkpoints.findIndex(
      (c) => sameEntity(c, checkpoint) && c.partitionId === checkpoint.partitionId,
    );
    const kept = { ...checkpoint };
    if (index === -1) state.checkpoints.push(kept);
    else state.checkpoints[index] = kept;
    await this.#save(state);
  }

  async listCheckpoints(namespace: string, eventHub: string, group: string): Promise<Checkpoint[]> {
    const state = await this.#load();
    const entity = { fullyQualifiedNamespace: namespace, eventHubName: eventHub, consumerGroup: group };
    return state.checkpoints.filter((c) => sameEntity(c, entity)).map((c) => ({ ...c }));
  }

  /** Removes the group's checkpoints (not part of the SDK's contract: the offsets tooling's DELETE). */
  async removeCheckpoints(entity: Entity): Promise<number> {
    const state = await this.#load();
    const kept = state.checkpoints.filter((c) => !sameEntity(c, entity));
    const removed = state.checkpoints.length - kept.length;
    state.checkpoints = kept;
    if (removed > 0) await this.#save(state);
    return removed;
  }

  #load(): Promise<StoreFile> {
    this.#state ??= readFile(this.#path, 'utf8').then(
      (text) => {
        const parsed = JSON.parse(text) as StoreFile;
        return { version: 1, ownerships: parsed.ownerships, checkpoints: parsed.checkpoints };
      },
      (error: unknown) => {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
        return { version: 1, ownerships: [], checkpoints: [] };
      },
    );
    return this.#state;
  }

  /** Writes one change at a time, each a whole new file renamed into place. */
  #save(state: StoreFile): Promise<void> {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    const write = this.#writing.then(async () => {
      await mkdir(dirname(this.#path), { recursive: true });
      const temporary = `${this.#path}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, this.#path);
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}
