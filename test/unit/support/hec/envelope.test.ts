import { describe, expect, it } from 'vitest';
import { parseEventBody } from '../../../support/hec/envelope.ts';
import type { EventDefaults } from '../../../support/hec/event.ts';
import { parseRawBody } from '../../../support/hec/raw.ts';

const defaults: EventDefaults = {
  host: 'default-host',
  source: 'http:hec',
  sourcetype: 'httpevent',
  index: 'main',
  time: 1_700_000_000.5,
  channel: undefined,
  token: 'tok',
  allowedIndexes: undefined,
};

function body(...envelopes: readonly unknown[]): string {
  return envelopes.map((envelope) => JSON.stringify(envelope)).join('\n');
}

describe('parseEventBody', () => {
  it('resolves metadata: the envelope first, then the defaults', () => {
    const parsed = parseEventBody(
      body(
        {
          event: { a: 1 },
          time: 1433188255.5,
          host: 'h',
          source: 's',
          sourcetype: 'st',
          index: 'i',
          fields: { f: 'v' },
        },
        { event: 'plain', time: '1433188255' },
      ),
      defaults,
    );
    expect(parsed.error).toBeUndefined();
    expect(parsed.events).toEqual([
      {
        endpoint: 'event',
        event: { a: 1 },
        time: 1433188255.5,
        host: 'h',
        source: 's',
        sourcetype: 'st',
        index: 'i',
        fields: { f: 'v' },
        channel: undefined,
        token: 'tok',
        ackId: undefined,
      },
      {
        endpoint: 'event',
        event: 'plain',
        time: 1433188255,
        host: 'default-host',
        source: 'http:hec',
        sourcetype: 'httpevent',
        index: 'main',
        fields: undefined,
        channel: undefined,
        token: 'tok',
        ackId: undefined,
      },
    ]);
  });

  it.each([
    ['a missing event', { time: 1 }, 12],
    ['a null event', { event: null }, 13],
    ['an empty string event', { event: '' }, 13],
    ['an empty object event', { event: {} }, 13],
    ['a non-numeric time', { event: 'a', time: 'noon' }, 6],
    ['a numeric host', { event: 'a', host: 5 }, 6],
    ['an object index', { event: 'a', index: { name: 'main' } }, 6],
    ['nested fields', { event: 'a', fields: { f: { g: 1 } } }, 15],
    ['fields holding an array of objects', { event: 'a', fields: { f: [{ g: 1 }] } }, 15],
    ['fields that are an array', { event: 'a', fields: ['f'] }, 15],
  ])('refuses %s with code %i at its number', (_why, bad, code) => {
    const parsed = parseEventBody(body({ event: 'ok' }, bad, { event: 'after' }), defaults);
    expect(parsed.error).toEqual({ code, invalidEventNumber: 1 });
    expect(parsed.events.map((event) => event.event)).toEqual(['ok']);
  });

  it('accepts any non-blank JSON event and flat fields with scalar and string-array values', () => {
    const events = [0, false, 'x', ['a'], { k: 'v' }, ' '];
    const parsed = parseEventBody(
      body(...events.map((event) => ({ event, fields: { s: 'a', n: 1, b: true, list: ['x', 'y'] } }))),
      defaults,
    );
    expect(parsed.error).toBeUndefined();
    expect(parsed.events.map((event) => event.event)).toEqual(events);
  });

  it('checks the index against the token’s indexes', () => {
    const limited = { ...defaults, allowedIndexes: new Set(['main']) };
    expect(
      parseEventBody(body({ event: 'a' }, { event: 'b', index: 'main' }), limited).error,
    ).toBeUndefined();
    expect(parseEventBody(body({ event: 'a', index: 'other' }), limited).error).toEqual({
      code: 7,
      invalidEventNumber: 0,
    });
  });

  it('reports the first bad event when a later one is malformed JSON', () => {
    expect(parseEventBody(`${body({ event: 'a' }, { no: 'event' })}{"event":`, defaults).error).toEqual({
      code: 12,
      invalidEventNumber: 1,
    });
    expect(parseEventBody(`${body({ event: 'a' })}{"event":`, defaults).error).toEqual({
      code: 6,
      invalidEventNumber: 1,
    });
  });

  it('calls a body without envelopes "No data"', () => {
    expect(parseEventBody('  ', defaults).error).toEqual({ code: 5, invalidEventNumber: undefined });
  });
});

describe('parseRawBody', () => {
  it('makes one event per line with the request metadata, dropping empty lines', () => {
    const parsed = parseRawBody('first\r\nsecond\n\n{"third":3}\n', { ...defaults, channel: 'c' }, /[\r\n]+/);
    expect(parsed.error).toBeUndefined();
    expect(parsed.events.map((event) => [event.endpoint, event.event, event.index, event.channel])).toEqual([
      ['raw', 'first', 'main', 'c'],
      ['raw', 'second', 'main', 'c'],
      ['raw', '{"third":3}', 'main', 'c'],
    ]);
  });

  it('uses a configured line breaker', () => {
    const parsed = parseRawBody('a||b||c', defaults, /\|\|/);
    expect(parsed.events.map((event) => event.event)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a blank body (5) and a forbidden index (7)', () => {
    expect(parseRawBody('\n\r\n', defaults, /[\r\n]+/).error).toEqual({
      code: 5,
      invalidEventNumber: undefined,
    });
    const limited = { ...defaults, allowedIndexes: new Set(['other']) };
    expect(parseRawBody('line', limited, /[\r\n]+/).error).toEqual({
      code: 7,
      invalidEventNumber: undefined,
    });
  });
});
