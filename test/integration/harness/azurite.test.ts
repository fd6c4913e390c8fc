import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/names.ts';
import { azuritePeer } from '../../support/peers.ts';

const azurite = azuritePeer();

describe('the shared Azurite', () => {
  it('stores and lists blobs with metadata through the Azure SDK', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient(uniqueName('checkpoints').toLowerCase());
    await container.create();
    await container.getBlockBlobClient('ns/hub/group/checkpoint/0').upload('', 0, {
      metadata: { sequencenumber: '41', offset: '1024' },
    });
    const listed = [];
    for await (const blob of container.listBlobsFlat({ includeMetadata: true })) listed.push(blob);
    expect(listed.map((b) => [b.name, b.metadata])).toEqual([
      ['ns/hub/group/checkpoint/0', { sequencenumber: '41', offset: '1024' }],
    ]);
  });
});
