import { describe, expect, it } from 'vitest';
import { parseDatetime, resetSpecOf, selectionOf, UsageError } from '../../../src/cli/offsets-options.ts';

describe('resetSpecOf', () => {
  it('turns each reset option into its spec', () => {
    expect(resetSpecOf({ toEarliest: true })).toEqual({ to: 'earliest' });
    expect(resetSpecOf({ toLatest: true })).toEqual({ to: 'latest' });
    expect(resetSpecOf({ toOffset: '42' })).toEqual({ to: 'offset', offset: 42n });
    expect(resetSpecOf({ shiftBy: '-1000' })).toEqual({ to: 'shift', by: -1000n });
    expect(resetSpecOf({ shiftBy: '+7' })).toEqual({ to: 'shift', by: 7n });
    expect(resetSpecOf({ toDatetime: '2026-11-24T09:00:00.250+01:00' })).toEqual({
      to: 'datetime',
      at: new Date('2026-11-24T08:00:00.250Z'),
    });
  });

  it('wants exactly one', () => {
    expect(() => resetSpecOf({})).toThrow(UsageError);
    expect(() => resetSpecOf({})).toThrow('say where to: one of --to-earliest');
    expect(() => resetSpecOf({ toEarliest: true, shiftBy: '1' })).toThrow('give only one of');
  });

  it.each([
    ['--to-offset -1', { toOffset: '-1' }],
    ['--to-offset 1e3', { toOffset: '1e3' }],
    ['--shift-by 1.5', { shiftBy: '1.5' }],
    ['--shift-by x', { shiftBy: 'x' }],
  ])('refuses %s', (message, options) => {
    expect(() => resetSpecOf(options)).toThrow(message);
  });
});

describe('parseDatetime', () => {
  it('takes ISO 8601 with a zone', () => {
    expect(parseDatetime('2026-11-24T08:00Z').toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(parseDatetime('2026-11-24T08:00:00-05:00').toISOString()).toBe('2026-11-24T13:00:00.000Z');
  });

  it.each(['2026-11-24T08:00:00', '2026-11-24', '1764000000000', '2026-13-40T08:00:00Z', 'yesterday'])(
    'refuses %s, with an example',
    (text) => {
      expect(() => parseDatetime(text)).toThrow(
        `--to-datetime ${text}: expected an ISO 8601 time with its zone`,
      );
    },
  );
});

describe('selectionOf', () => {
  it('collects topics and partitions, repeated or comma-separated, without duplicates', () => {
    expect(selectionOf({})).toEqual({});
    expect(selectionOf({ topic: ['a', 'a', 'b'], partition: ['0,3', '3', ' 5 '] })).toEqual({
      topics: ['a', 'b'],
      partitions: [0, 3, 5],
    });
  });

  it('refuses a partition that is not a number', () => {
    expect(() => selectionOf({ partition: ['1', '-2'] })).toThrow(
      '--partition -2: expected a partition number',
    );
  });
});
