import { describe, expect, it } from 'vitest';
import { filterType } from '../../../src/transforms/filter.ts';
import { build, event, issuesOf, run } from './events.ts';

const app = (namespace: string, log: string, annotations: Record<string, string> = {}) =>
  event({
    log,
    kubernetes: { namespace_name: namespace, annotations, labels: { 'app.kubernetes.io/name': 'web' } },
  });

describe('filter', () => {
  it('keeps only events matching every include rule (Fluent Bit grep Regex)', () => {
    const { transform, counters } = build(filterType, {
      'include.kubernetes.namespace_name': '^(shop|pay)$',
      'include.log': 'ERROR|WARN',
    });
    expect(run(transform, app('shop', 'ERROR boom'))).toHaveLength(1);
    expect(run(transform, app('shop', 'INFO fine'))).toEqual([]);
    expect(run(transform, app('kube-system', 'ERROR boom'))).toEqual([]);
    expect(counters.get('not_included')).toBe(2);
  });

  it('keeps events matching any include rule with logical.op=or', () => {
    const { transform } = build(filterType, {
      'logical.op': 'or',
      'include.kubernetes.namespace_name': '^shop$',
      'include.log': 'ERROR',
    });
    expect(run(transform, app('other', 'ERROR boom'))).toHaveLength(1);
    expect(run(transform, app('shop', 'INFO'))).toHaveLength(1);
    expect(run(transform, app('other', 'INFO'))).toEqual([]);
  });

  it('drops events matching any exclude rule, with bracketed keys and record references', () => {
    const { transform, counters } = build(filterType, {
      'exclude.kubernetes.labels["app.kubernetes.io/name"]': '^web$',
      'exclude.header.env': '^test$',
    });
    expect(run(transform, app('shop', 'x'))).toEqual([]);
    expect(run(transform, event({ log: 'x' }, { headers: { env: 'test' } }))).toEqual([]);
    expect(run(transform, event({ log: 'x' }, { headers: { env: 'prod' } }))).toHaveLength(1);
    expect(counters.get('excluded')).toBe(2);
  });

  it('reads a text body as the field log', () => {
    const { transform } = build(filterType, { 'include.log': 'ERROR', 'exclude.msg': '.' });
    expect(run(transform, event('2024 ERROR boom'))).toHaveLength(1);
    expect(run(transform, event('2024 INFO fine'))).toEqual([]);
  });

  it('never matches a missing field: an include drops the event, an exclude keeps it', () => {
    const include = build(filterType, { 'include.level': '.*' }).transform;
    const exclude = build(filterType, { 'exclude.level': '.*' }).transform;
    expect(run(include, event({ log: 'x' }))).toEqual([]);
    expect(run(exclude, event({ log: 'x' }))).toHaveLength(1);
    expect(run(include, event({ log: 'x', level: '' }))).toHaveLength(1);
  });

  it('drops pods annotated logbridge.io/exclude: "true", or another annotation', () => {
    const { transform, counters } = build(filterType, {});
    expect(run(transform, app('shop', 'x', { 'logbridge.io/exclude': 'true' }))).toEqual([]);
    expect(run(transform, app('shop', 'x', { 'logbridge.io/exclude': 'false' }))).toHaveLength(1);
    expect(counters.get('excluded_annotation')).toBe(1);
    const fluentBit = build(filterType, { 'annotation.exclude': 'fluentbit.io/exclude' }).transform;
    expect(run(fluentBit, app('shop', 'x', { 'fluentbit.io/exclude': 'True' }))).toEqual([]);
    const off = build(filterType, { 'annotation.exclude': 'none' }).transform;
    expect(run(off, app('shop', 'x', { 'logbridge.io/exclude': 'true' }))).toHaveLength(1);
  });

  it('tests patterns on at most max.match.chars leading characters', () => {
    const { transform } = build(filterType, { 'include.log': 'NEEDLE', 'max.match.chars': '64' });
    expect(run(transform, event({ log: `${'x'.repeat(10)}NEEDLE` }))).toHaveLength(1);
    expect(run(transform, event({ log: `${'x'.repeat(100)}NEEDLE` }))).toEqual([]);
  });

  it('refuses invalid patterns, patterns no linear-time engine can run, and bad paths', () => {
    expect(
      issuesOf(filterType, {
        'include.log': '(a+)\\1$',
        'exclude.msg': '([',
        'include.[x': 'y',
        'logical.op': 'xor',
      }),
    ).toEqual([
      'config.transforms.t.logical.op: must be one of and, or, got "xor"',
      'config.transforms.t.include.log: has a backreference (\\1), which no linear-time engine can run: rewrite the pattern without it',
      'config.transforms.t.include.[x: names no field: "[x": expected ["…"] or [\'…\'] at 0',
      'config.transforms.t.exclude.msg: is not a valid regular expression: Invalid regular expression: /([/: Unterminated character class',
    ]);
  });
});
