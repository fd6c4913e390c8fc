import { describe, expect, it } from 'vitest';
import { hostsOf } from '../../../src/config/index.ts';

describe('hostsOf an Azure Storage connection string', () => {
  const storage = { kind: 'storage-connection-string' } as const;

  it('names the Blob service: BlobEndpoint, else the account and suffix, else Azurite', () => {
    expect(hostsOf(storage, 'DefaultEndpointsProtocol=https;AccountName=Acme;AccountKey=k')).toEqual([
      'acme.blob.core.windows.net',
    ]);
    expect(hostsOf(storage, 'AccountName=acme;AccountKey=k;EndpointSuffix=core.chinacloudapi.cn')).toEqual([
      'acme.blob.core.chinacloudapi.cn',
    ]);
    expect(
      hostsOf(
        storage,
        'AccountName=devstoreaccount1;AccountKey=k;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
      ),
    ).toEqual(['127.0.0.1']);
    expect(hostsOf(storage, 'UseDevelopmentStorage=true')).toEqual(['127.0.0.1']);
  });

  it('names nothing for a string without an account (validation refuses it)', () => {
    expect(hostsOf(storage, 'AccountKey=k')).toEqual([]);
  });
});
