/**
 * The local file checkpoint store keeps the SDK's `CheckpointStore` contract: ownership claimed by etag (a stale
 * etag loses), checkpoints per group, every change a whole file (read back by a new store, as after a restart).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartitionOwnership } from '@azure/event-hubs';
import { afterAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../../src/sources/eventhubs/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'logbridge-file-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const entity = { fullyQualifiedNamespace: 'ns.example', eventHubName: 'Logs', consumerGroup: 'g' };

function ownership(partitionId: string, ownerId: string, etag?: string): PartitionOwnership {
  return { ...entity, partitionId, ownerId, ...(etag === undefined ? {} : { etag }) };
}

describe('FileCheckpointStore', () => {
  it('lets one claim win per etag, as the Blob store does', async () => {
    const store = new FileCheckpointStore(join(dir, 'claims', 'store.json'));
    const [first] = await store.claimOwnership([ownership('0', 'a')]);
    expect(first?.ownerId).toBe('a');
    expect(first?.etag).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    // b read the ownership before a renewed it: its etag is stale.
    const renewed = await store.claimOwnership([ownership('0', 'a', first?.etag)]);
    expect(renewed).toHaveLength(1);
    expect(await store.claimOwnership([ownership('0', 'b', first?.etag)])).toEqual([]);
    const listed = await store.listOwnership('NS.example', 'logs', 'G');
    expect(listed.map((o) => [o.partitionId, o.ownerId])).toEqual([['0', 'a']]);
    expect(listed[0]?.lastModifiedTimeInMs).toBeGreaterThan(0);
  });

  it('keeps checkpoints per group across a restart, and removes one group only', async () => {
    const path = join(dir, 'checkpoints.json');
    const store = new FileCheckpointStore(path);
    await store.updateCheckpoint({ ...entity, partitionId: '0', sequenceNumber: 41, offset: '4096' });
    await store.updateCheckpoint({ ...entity, partitionId: '0', sequenceNumber: 42, offset: '4200' });
    await store.updateCheckpoint({
      ...entity,
      consumerGroup: 'other',
      partitionId: '1',
      sequenceNumber: 7,
      offset: '9',
    });
    const restarted = new FileCheckpointStore(path);
    expect(await restarted.listCheckpoints(entity.fullyQualifiedNamespace, 'logs', 'g')).toEqual([
      { ...entity, partitionId: '0', sequenceNumber: 42, offset: '4200' },
    ]);
    expect(await restarted.removeCheckpoints(entity)).toBe(1);
    const again = new FileCheckpointStore(path);
    expect(await again.listCheckpoints(entity.fullyQualifiedNamespace, 'logs', 'g')).toEqual([]);
    expect(await again.listCheckpoints(entity.fullyQualifiedNamespace, 'logs', 'other')).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
