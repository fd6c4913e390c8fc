import { describe, expect, it } from 'vitest';
import { HOLD, type LogEvent, type StatefulTransform } from '../../../src/engine/index.ts';
import type { CriState } from '../../../src/transforms/cri.ts';
import { criType } from '../../../src/transforms/cri.ts';
import { build, event, issuesOf, recordsOf } from './events.ts';

const POD = 'kube.var.log.containers.web-1_shop_web-' + 'a'.repeat(64) + '.log';
const OTHER = 'kube.var.log.containers.api-1_shop_api-' + 'b'.repeat(64) + '.log';

function cri(options: Record<string, unknown> = {}) {
  const { transform, counters } = build(criType, options);
  const stateful = transform.stateful as StatefulTransform<CriState>;
  const state = stateful.init();
  return { stateful, state, counters, apply: (e: LogEvent) => stateful.apply(state, e) };
}

const line = (offset: number, text: string, key = POD): LogEvent => event(text, { offset, key });

describe('cri', () => {
  it('parses a whole line into Fluent Bit CRI parser fields, with the line time', () => {
    const { apply } = cri();
    const out = apply(line(0, '2024-11-24T08:16:00.000120001Z stdout F {"msg":"up"}')) as LogEvent;
    expect(out.body).toEqual({
      time: '2024-11-24T08:16:00.000120001Z',
      stream: 'stdout',
      logtag: 'F',
      log: '{"msg":"up"}',
    });
    expect(out.timeMs).toBe(Date.UTC(2024, 10, 24, 8, 16, 0, 0));
    expect(out.joined).toBeUndefined();
  });

  it('passes a line that is not CRI through untouched, and counts it', () => {
    const { apply, counters } = cri();
    const input = line(0, 'not a CRI line');
    expect(apply(input)).toBe(input);
    const json = event({ records: [] });
    expect(apply(json)).toBe(json);
    expect(counters.get('not_cri')).toBe(2);
  });

  it('holds P fragments and emits the whole line on F, listing every fragment record', () => {
    const { apply, counters } = cri();
    const p1 = line(0, '2024-11-24T08:16:02.3Z stdout P first-');
    const p2 = line(1, '2024-11-24T08:16:02.4Z stdout P second-');
    const f = line(2, '2024-11-24T08:16:02.5Z stdout F third');
    expect(apply(p1)).toBe(HOLD);
    expect(apply(p2)).toBe(HOLD);
    const out = apply(f) as LogEvent;
    expect(out.body).toMatchObject({
      log: 'first-second-third',
      logtag: 'F',
      time: '2024-11-24T08:16:02.3Z',
    });
    expect(out.record).toBe(p1.record);
    expect(out.joined).toEqual([p1, p2, f]);
    expect(recordsOf(out).map((r) => r.position.offset)).toEqual([0n, 1n, 2n]);
    expect(out.timeMs).toBe(Date.UTC(2024, 10, 24, 8, 16, 2, 300));
    expect(counters.get('reassembled')).toBe(1);
  });

  it('reassembles per source and per stream, whatever comes in between', () => {
    const { apply } = cri();
    expect(apply(line(0, '2024-11-24T08:16:00Z stdout P a1-'))).toBe(HOLD);
    expect(apply(line(1, '2024-11-24T08:16:00Z stdout P b1-', OTHER))).toBe(HOLD);
    expect(apply(line(2, '2024-11-24T08:16:00Z stderr P e1-'))).toBe(HOLD);
    const whole = apply(line(3, '2024-11-24T08:16:00Z stdout F other', OTHER.replace('b', 'c'))) as LogEvent;
    expect(whole.body).toMatchObject({ log: 'other' });
    expect((apply(line(4, '2024-11-24T08:16:00Z stdout F b2', OTHER)) as LogEvent).body).toMatchObject({
      log: 'b1-b2',
    });
    expect((apply(line(5, '2024-11-24T08:16:00Z stderr F e2')) as LogEvent).body).toMatchObject({
      log: 'e1-e2',
    });
    const a = apply(line(6, '2024-11-24T08:16:00Z stdout F a2')) as LogEvent;
    expect(a.body).toMatchObject({ log: 'a1-a2' });
    expect(recordsOf(a).map((r) => r.position.offset)).toEqual([0n, 6n]);
  });

  it('reassembles Fluent Bit records already split by its CRI parser, keeping their other fields', () => {
    const { apply } = cri();
    const kubernetes = { docker_id: 'd'.repeat(64), pod_name: 'web-1' };
    const p = event(
      { time: '2024-11-24T08:15:07.1Z', stream: 'stdout', logtag: 'P', log: '{"a":', kubernetes },
      { offset: 0 },
    );
    const f = event(
      { time: '2024-11-24T08:15:07.2Z', stream: 'stdout', logtag: 'F', log: '1}', kubernetes },
      { offset: 1 },
    );
    expect(apply(p)).toBe(HOLD);
    const out = apply(f) as LogEvent;
    expect(out.body).toEqual({
      time: '2024-11-24T08:15:07.1Z',
      stream: 'stdout',
      logtag: 'F',
      log: '{"a":1}',
      kubernetes,
    });
    expect(out.timeMs).toBe(Date.UTC(2024, 10, 24, 8, 15, 7, 100));
  });

  it('parses a CRI line held in a JSON field', () => {
    const { apply } = cri({ field: 'message' });
    const out = apply(event({ message: '2024-11-24T08:16:00Z stderr F boom', host: 'n1' })) as LogEvent;
    expect(out.body).toEqual({
      message: 'boom',
      host: 'n1',
      time: '2024-11-24T08:16:00Z',
      stream: 'stderr',
      logtag: 'F',
    });
  });

  it('sends a line past max.line.bytes as gathered, marked partial, and marks the rest partial too', () => {
    const { apply, counters } = cri({ 'max.line.bytes': 1024 });
    const chunk = 'x'.repeat(600);
    expect(apply(line(0, `2024-11-24T08:16:00Z stdout P ${chunk}`))).toBe(HOLD);
    const first = apply(line(1, `2024-11-24T08:16:00Z stdout P ${chunk}`)) as LogEvent;
    expect(first.body).toMatchObject({ log: chunk + chunk, partial: true, logtag: 'P' });
    expect(recordsOf(first).map((r) => r.position.offset)).toEqual([0n, 1n]);
    expect(apply(line(2, `2024-11-24T08:16:00Z stdout P ${chunk}`))).toBe(HOLD);
    const rest = apply(line(3, '2024-11-24T08:16:00Z stdout F end')) as LogEvent;
    expect(rest.body).toMatchObject({ log: `${chunk}end`, partial: true, logtag: 'F' });
    expect(counters.get('partial_size')).toBe(1);
    const next = apply(line(4, '2024-11-24T08:16:00Z stdout F next line')) as LogEvent;
    expect(next.body).not.toHaveProperty('partial');
  });

  it('flushes a line held past max.age.ms (from when it was first seen held), marked partial', () => {
    const { stateful, state, apply, counters } = cri({ 'max.age.ms': 5000 });
    expect(apply(line(0, '2024-11-24T08:16:00Z stdout P waiting-'))).toBe(HOLD);
    expect(stateful.flush(state, 1_000)).toEqual([]);
    expect(stateful.flush(state, 5_999)).toEqual([]);
    const [flushed] = stateful.flush(state, 6_000);
    expect(flushed?.body).toMatchObject({ log: 'waiting-', partial: true });
    expect(flushed?.record.position.offset).toBe(0n);
    expect(counters.get('partial_age')).toBe(1);
    const rest = apply(line(1, '2024-11-24T08:16:00Z stdout F late')) as LogEvent;
    expect(rest.body).toMatchObject({ log: 'late', partial: true });
    expect(state.open.size).toBe(0);
  });

  it('keeps a continuation marker until the rest of its line comes, however long that takes', () => {
    const { stateful, state, apply } = cri({ 'max.age.ms': 100 });
    apply(line(0, '2024-11-24T08:16:00Z stdout P x'));
    stateful.flush(state, 0);
    expect(stateful.flush(state, 100)).toHaveLength(1);
    expect(state.open.size).toBe(1);
    stateful.flush(state, 200);
    stateful.flush(state, 1_000_000);
    expect(state.open.size).toBe(1);
    const rest = apply(line(1, '2024-11-24T08:16:00Z stdout F y')) as LogEvent;
    expect(rest.body).toMatchObject({ log: 'y', partial: true });
    expect(state.open.size).toBe(0);
    expect(state.markers).toBe(0);
  });

  it('keeps at most 1000 continuation markers per partition, forgetting the oldest', () => {
    const { stateful, state, apply } = cri({ 'max.age.ms': 100 });
    const source = (i: number): string => `${POD}-${String(i)}`;
    for (let i = 0; i < 1001; i += 1) apply(line(i, '2024-11-24T08:16:00Z stdout P x', source(i)));
    stateful.flush(state, 0);
    expect(stateful.flush(state, 100)).toHaveLength(1001);
    expect(state.markers).toBe(1000);
    const first = apply(line(2000, '2024-11-24T08:16:00Z stdout F a', source(0))) as LogEvent;
    expect(first.body).not.toHaveProperty('partial');
    const last = apply(line(2001, '2024-11-24T08:16:00Z stdout F b', source(1000))) as LogEvent;
    expect(last.body).toMatchObject({ partial: true });
  });

  it('reports invalid options with their path', () => {
    expect(issuesOf(criType, { source: '${key', 'max.line.bytes': '10' })).toEqual([
      'config.transforms.t.max.line.bytes: must be at least 1024, got 10',
      'config.transforms.t.source: template "${key" at 0: unclosed ${',
    ]);
  });
});
