import { describe, expect, it } from 'vitest';
import { splitRecordsType } from '../../../src/transforms/split-records.ts';
import { build, event, issuesOf, run } from './events.ts';

describe('split-records', () => {
  it('makes one event per element, each keeping the parent record, its time from the element', () => {
    const { transform, counters } = build(splitRecordsType, {});
    const parent = event({
      records: [
        { time: '2024-11-24T08:17:01.1342100Z', category: 'kube-audit' },
        { category: 'no time' },
        'a plain string',
        42,
        [1, 2],
      ],
    });
    const children = run(transform, parent);
    expect(children.map((c) => c.body)).toEqual([
      { time: '2024-11-24T08:17:01.1342100Z', category: 'kube-audit' },
      { category: 'no time' },
      'a plain string',
      '42',
      '[1,2]',
    ]);
    expect(children.every((c) => c.record === parent.record)).toBe(true);
    expect(children.map((c) => c.timeMs)).toEqual([
      Date.UTC(2024, 10, 24, 8, 17, 1, 134),
      ...Array<number>(4).fill(parent.timeMs),
    ]);
    expect(counters.snapshot()).toEqual({ split: 1, children: 5 });
  });

  it('passes a body without a records array, and drops (counted) an empty one', () => {
    const { transform, counters } = build(splitRecordsType, {});
    const plain = event({ records: 'not an array' });
    expect(run(transform, plain)).toEqual([plain]);
    expect(run(transform, event('text'))).toHaveLength(1);
    expect(run(transform, event({ records: [] }))).toEqual([]);
    expect(counters.get('empty')).toBe(1);
  });

  it('splits another field and keeps the record time when told', () => {
    const { transform } = build(splitRecordsType, { field: 'value', 'time.field': 'none' });
    const parent = event({ value: [{ time: '2020-01-01T00:00:00Z' }] });
    expect(run(transform, parent)[0]?.timeMs).toBe(parent.timeMs);
  });

  it('reports invalid options', () => {
    expect(issuesOf(splitRecordsType, { field: 3 })).toEqual([
      'config.transforms.t.field: must be a string, got 3',
    ]);
  });
});
