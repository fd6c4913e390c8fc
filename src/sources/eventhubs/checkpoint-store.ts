/**
 * The checkpoint store of a connector: the SDK's Blob store (`@azure/eventhubs-checkpointstore-blob`, imported only
 * when used) or the local file store; with removing a group's checkpoints, which the SDK's `CheckpointStore` contract
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

/** The SDK's store contract, and removing a group's checkpoints through the same store. */
export interface ConnectorCheckpointStore extends CheckpointStore {
  /**
   * Removes every checkpoint of the group (ownership stays: it expires by itself).
   * @returns how many partitions had one.
   */
  removeCheckpoints(hub: string, group: string): Promise<number>;
}

/**
 * The checkpoint store of the settings, keyed by `namespace`: the SDK keys it by the host it connects to, which is
 * the endpoint address when one is set (a private endpoint), and other consumers of the group (replicas, the MSCS
 * add-on) key it by the namespace.
 */
export async function createCheckpointStore(
  settings: CheckpointStoreSettings,
  namespace: string,
): Promise<ConnectorCheckpointStore> {
  if (settings.kind === 'file') {
    const store = new FileCheckpointStore(settings.path);
    return forNamespace(store, namespace, (entity) => store.removeCheckpoints(entity));
  }
  const [{ ContainerClient }, { BlobCheckpointStore }] = await Promise.all([
    import('@azure/storage-blob'),
    import('@azure/eventhubs-checkpointstore-blob'),
  ]);
  const container = new ContainerClient(settings.connectionString.reveal(), settings.container);
  return forNamespace(new BlobCheckpointStore(container), namespace, async (entity) => {
    // The SDK's blob names, lower-cased: <namespace>/<event hub>/<group>/checkpoint/<partition> (BlobCheckpointStore).
    const prefix = [
      entity.fullyQualifiedNamespace,
      entity.eventHubName,
      entity.consumerGroup,
      'checkpoint',
      '',
    ]
      .join('/')
      .toLowerCase();
    let removed = 0;
    for await (const blob of container.listBlobsFlat({ prefix })) {
      await container.deleteBlob(blob.name);
      removed += 1;
    }
    return removed;
  });
}

/** `store` with every namespace it is given or gives replaced by `namespace`. */
function forNamespace(
  store: CheckpointStore,
  namespace: string,
  remove: (entity: StoreEntity) => Promise<number>,
): ConnectorCheckpointStore {
  const keyed = <T extends { fullyQualifiedNamespace: string }>(item: T): T => ({
    ...item,
    fullyQualifiedNamespace: namespace,
  });
  return {
    listOwnership: async (_ns, hub, group, options) =>
      (await store.listOwnership(namespace, hub, group, options)).map(keyed),
    claimOwnership: async (ownerships, options) =>
      (await store.claimOwnership(ownerships.map(keyed), options)).map(keyed),
    updateCheckpoint: (checkpoint, options) => store.updateCheckpoint(keyed(checkpoint), options),
    listCheckpoints: async (_ns, hub, group, options) =>
      (await store.listCheckpoints(namespace, hub, group, options)).map(keyed),
    removeCheckpoints: (hub, group) =>
      remove({ fullyQualifiedNamespace: namespace, eventHubName: hub, consumerGroup: group }),
  };
}
