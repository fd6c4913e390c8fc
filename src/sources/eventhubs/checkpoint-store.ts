/**
 * The checkpoint store of a connector: the SDK's Blob store (`@azure/eventhubs-checkpointstore-blob`, imported only
 * when used) or the local file store; and removing a group's checkpoints, which the SDK's `CheckpointStore` contract
 * cannot do (the offsets tooling's DELETE: the group then starts at `eventhubs.start.*` again).
 * @module
 */
import type { CheckpointStore } from '@azure/event-hubs';
import type { CheckpointStoreSettings } from './config.ts';
import { FileCheckpointStore } from './file-store.ts';

/** Which consumer group's state: the SDK's triple. */
export interface StoreEntity {
  readonly fullyQualifiedNamespace: string;
  readonly eventHubName: string;
  readonly consumerGroup: string;
}

/** The checkpoint store of the settings. */
export async function createCheckpointStore(settings: CheckpointStoreSettings): Promise<CheckpointStore> {
  if (settings.kind === 'file') return new FileCheckpointStore(settings.path);
  const [{ ContainerClient }, { BlobCheckpointStore }] = await Promise.all([
    import('@azure/storage-blob'),
    import('@azure/eventhubs-checkpointstore-blob'),
  ]);
  return new BlobCheckpointStore(new ContainerClient(settings.connectionString.reveal(), settings.container));
}

/**
 * Removes every checkpoint of the group (ownership stays: it expires by itself).
 * @returns how many partitions had one.
 */
export async function removeCheckpoints(
  settings: CheckpointStoreSettings,
  entity: StoreEntity,
): Promise<number> {
  if (settings.kind === 'file') return new FileCheckpointStore(settings.path).removeCheckpoints(entity);
  const { ContainerClient } = await import('@azure/storage-blob');
  const container = new ContainerClient(settings.connectionString.reveal(), settings.container);
  // The SDK's blob names, lower-cased: <namespace>/<event hub>/<group>/checkpoint/<partition> (BlobCheckpointStore).
  const prefix = [entity.fullyQualifiedNamespace, entity.eventHubName, entity.consumerGroup, 'checkpoint', '']
    .join('/')
    .toLowerCase();
  let removed = 0;
  for await (const blob of container.listBlobsFlat({ prefix })) {
    await container.deleteBlob(blob.name);
    removed += 1;
  }
  return removed;
}
