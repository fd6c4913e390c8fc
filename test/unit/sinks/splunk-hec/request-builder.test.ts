import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildBody, groupRequests } from '../../../../src/sinks/splunk-hec/request-builder.ts';

const payloads = [
  { text: 'a\n', query: 'index=x' },
  { text: 'b\n', query: 'index=y' },
  { text: 'c\n', query: 'index=x' },
];

describe('request builder', () => {
  it('groups by metadata query in order of first appearance, keeping event order', () => {
    expect(groupRequests(payloads, [0, 1, 2])).toEqual([
      { query: 'index=x', indexes: [0, 2] },
      { query: 'index=y', indexes: [1] },
    ]);
    expect(groupRequests(payloads, [2])).toEqual([{ query: 'index=x', indexes: [2] }]);
  });

  it('concatenates the texts, gzipped when asked', async () => {
    const group = { query: 'index=x', indexes: [0, 2] };
    expect((await buildBody(payloads, group, undefined)).bytes.toString()).toBe('a\nc\n');
    const gzipped = await buildBody(payloads, group, 1);
    expect(gzipped).toMatchObject({ gzip: true, query: 'index=x', rawBytes: 4 });
    expect(gunzipSync(gzipped.bytes).toString()).toBe('a\nc\n');
  });
});
