import type { ReceivedEventData } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { toSourceRecord } from '../../../../src/sources/eventhubs/record.ts';

function event(fields: Partial<ReceivedEventData>): ReceivedEventData {
  return {
    body: Buffer.from('{"a":1}'),
    enqueuedTimeUtc: new Date('2026-03-01T08:00:00.123Z'),
    partitionKey: null,
    offset: '1024',
    sequenceNumber: 42,
    ...fields,
  } as ReceivedEventData;
}

describe('toSourceRecord', () => {
  it('positions a record at its sequence number, with the raw body, properties as headers and the enqueued time', () => {
    const record = toSourceRecord(
      'logs',
      3,
      event({ partitionKey: 'pod-a', properties: { source: 'aks', count: 2, raw: Buffer.from([0xff]) } }),
    );
    expect(record.position).toEqual({ topic: 'logs', partition: 3, offset: 42n });
    expect(record.value?.toString()).toBe('{"a":1}');
    expect(record.key?.toString()).toBe('pod-a');
    expect(record.timestampMs).toBe(Date.parse('2026-03-01T08:00:00.123Z'));
    expect(Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, [...v]]))).toEqual({
      source: [...Buffer.from('aks')],
      count: [...Buffer.from('2')],
      raw: [0xff],
    });
    expect(record.sizeBytes).toBe(5 + 7 + 'source'.length + 3 + 'count'.length + 1 + 'raw'.length + 1);
  });

  it('takes bytes, text and empty bodies as they are', () => {
    expect(toSourceRecord('l', 0, event({ body: new Uint8Array([104, 105]) })).value?.toString()).toBe('hi');
    expect(toSourceRecord('l', 0, event({ body: 'plain text' })).value?.toString()).toBe('plain text');
    expect(toSourceRecord('l', 0, event({ body: undefined })).value).toBeNull();
    expect(toSourceRecord('l', 0, event({})).headers).toEqual({});
  });
});
