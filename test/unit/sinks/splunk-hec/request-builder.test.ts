import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HecPayload } from '../../../../src/sinks/splunk-hec/encoder.ts';
import { buildBody, groupRequests } from '../../../../src/sinks/splunk-hec/request-builder.ts';

const payloads = [
  HecPayload.of('a\n', 'index=x'),
  HecPayload.of('b\n', 'index=y'),
  HecPayload.of('c\n', 'index=x'),
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

  it('writes text and bytes-as-read payloads byte for byte, multi-byte characters included', async () => {
    const mixed = [
      HecPayload.around('{"host":"hôte","event":', Buffer.from('{"log":"é😀"}'), '}\n', ''),
      HecPayload.of('{"event":"ünï"}\n', ''),
      HecPayload.around('', Buffer.from('x'), '\r\n####', ''),
    ];
    const expected = '{"host":"hôte","event":{"log":"é😀"}}\n{"event":"ünï"}\nx\r\n####';
    expect(mixed.map((payload) => payload.text).join('')).toBe(expected);
    expect(mixed.reduce((sum, payload) => sum + payload.bytes, 0)).toBe(Buffer.byteLength(expected));
    const body = await buildBody(mixed, { query: '', indexes: [0, 1, 2] }, undefined);
    expect(body.bytes.toString('utf8')).toBe(expected);
    expect(body.rawBytes).toBe(Buffer.byteLength(expected));
    expect(gunzipSync((await buildBody(mixed, { query: '', indexes: [2, 0] }, 6)).bytes).toString()).toBe(
      'x\r\n####{"host":"hôte","event":{"log":"é😀"}}\n',
    );
  });
});
