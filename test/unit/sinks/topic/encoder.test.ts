import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../../src/engine/index.ts';
import { createMessageEncoder, type EncoderSettings } from '../../../../src/sinks/topic/encoder.ts';
import { MessageTooLargeError, TopicInvalidError } from '../../../../src/sinks/topic/errors.ts';
import { createTopicBuilder } from '../../../../src/sinks/topic/builder.ts';
import { record } from '../../engine/records.ts';
import { event, k8sBody } from './events.ts';

const settings = (overrides: Partial<EncoderSettings> = {}): EncoderSettings => ({
  topics: createTopicBuilder({ template: 'acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-x}' }),
  maxMessageBytes: 10_000,
  maxMessageKey: 'sol.max_message_bytes',
  offsetType: 'int64',
  extraProperties: [],
  emitHeaders: false,
  ...overrides,
});

describe('message encoder', () => {
  it('encodes an object body as JSON bytes, with the topic and the Kafka coordinates', () => {
    const body = k8sBody('clusterx', 'appz', 'abc123');
    const { payload, bytes } = createMessageEncoder(settings())(event(body));
    expect(payload.topic).toBe('acme/clusterx/appz');
    expect(Buffer.isBuffer(payload.payload)).toBe(true);
    expect(JSON.parse(payload.payload.toString('utf8'))).toEqual(body);
    expect(payload.contentType).toBe('application/json');
    expect(payload.properties).toEqual([
      { name: 'k_topic', type: 'string', value: 'logs' },
      { name: 'k_partition', type: 'int32', value: 3 },
      { name: 'k_offset', type: 'int64', value: 42 },
    ]);
    expect(bytes).toBeGreaterThan(payload.payload.length);
  });

  it("sends a body as read (bodyAsRead) as its record's value bytes", () => {
    const text =
      '{"log":"é","kubernetes":{"cluster":"c1","labels":{"app":"a1"}},"n":12345678901234567890123}';
    const kept = {
      ...event(JSON.parse(text) as ReturnType<typeof k8sBody>),
      record: record('logs', 3, 42, text),
    };
    const { payload, bytes } = createMessageEncoder(settings())({ ...kept, bodyAsRead: true });
    const serialized = createMessageEncoder(settings())(kept);
    expect(payload.payload).toBe(kept.record.value);
    expect(serialized.payload.payload.toString()).toContain('"n":1.2345678901234568e+22');
    expect({ ...payload, payload: undefined }).toEqual({ ...serialized.payload, payload: undefined });
    expect(bytes - payload.payload.length).toBe(serialized.bytes - serialized.payload.payload.length);
  });

  it('keeps text bodies byte-exact as UTF-8, beyond Latin-1', () => {
    const { payload } = createMessageEncoder(settings())(event('é€😀 line'));
    expect(payload.payload).toEqual(Buffer.from('c3a9e282acf09f988020 6c696e65'.replace(' ', ''), 'hex'));
    expect(payload.contentType).toBe('text/plain; charset=utf-8');
  });

  it('sends k_offset as a string when asked, and always above 2^48 (solclientjs INT64 limit)', () => {
    const big = event('x', { record: record('logs', 0, 2n ** 48n) });
    const int64 = createMessageEncoder(settings());
    expect(int64(big).payload.properties[2]).toEqual({
      name: 'k_offset',
      type: 'string',
      value: '281474976710656',
    });
    const asString = createMessageEncoder(settings({ offsetType: 'string' }));
    expect(asString(event('x')).payload.properties[2]).toEqual({
      name: 'k_offset',
      type: 'string',
      value: '42',
    });
  });

  it('adds configured properties and Kafka headers, never overriding k_*', () => {
    const encode = createMessageEncoder(
      settings({
        extraProperties: [
          { name: 'cluster', template: compileTemplate('${kubernetes.cluster}') },
          { name: 'empty', template: compileTemplate('${missing}') },
        ],
        emitHeaders: true,
      }),
    );
    const e = event(k8sBody('clusterx', 'appz', 'c1'), {
      record: {
        ...record('logs', 3, 42),
        headers: { trace: Buffer.from('t-1'), k_offset: Buffer.from('9') },
      },
    });
    expect(encode(e).payload.properties.slice(2)).toEqual([
      { name: 'k_offset', type: 'int64', value: 42 },
      { name: 'cluster', type: 'string', value: 'clusterx' },
      { name: 'trace', type: 'string', value: 't-1' },
    ]);
  });

  it('refuses a message over the size limit before sending, naming the key', () => {
    const encode = createMessageEncoder(settings({ maxMessageBytes: 1024 }));
    const run = (): unknown => encode(event('x'.repeat(1024)));
    expect(run).toThrow(MessageTooLargeError);
    expect(run).toThrow(/over sol\.max_message_bytes=1024/);
    expect(new MessageTooLargeError('').disposition).toBe('reject');
  });

  it('refuses an event whose topic cannot be made valid, with the reason', () => {
    const encode = createMessageEncoder(
      settings({ topics: createTopicBuilder({ template: 'acme/${nothing}' }) }),
    );
    expect(() => encode(event({}))).toThrow(TopicInvalidError);
    expect(() => encode(event({}))).toThrow(/level 2 is empty/);
  });
});
