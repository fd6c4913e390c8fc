import { describe, expect, it } from 'vitest';
import { jsonType } from '../../../src/transforms/json.ts';
import { build, event, issuesOf, run } from './events.ts';

const LOG = '{"level":"info","msg":"order placed","amount":129.95}';

describe('json', () => {
  it('merges a JSON log into the top level and keeps the original (Merge_Log, Keep_Log On)', () => {
    const { transform } = build(jsonType, {});
    const [out] = run(transform, event({ stream: 'stdout', log: LOG }));
    expect(out?.body).toEqual({
      stream: 'stdout',
      log: LOG,
      level: 'info',
      msg: 'order placed',
      amount: 129.95,
    });
  });

  it('puts the parsed object under a key and drops the original when asked (Merge_Log_Key, Keep_Log Off)', () => {
    const { transform } = build(jsonType, { target: 'log_processed', 'keep.original': 'false' });
    const [out] = run(transform, event({ stream: 'stdout', log: LOG }));
    expect(out?.body).toEqual({
      stream: 'stdout',
      log_processed: { level: 'info', msg: 'order placed', amount: 129.95 },
    });
  });

  it("lets the record's own fields win a clash, and then keeps the original text even if asked not to", () => {
    const { transform, counters } = build(jsonType, { 'keep.original': 'false' });
    const [clash] = run(transform, event({ stream: 'stdout', log: '{"stream":"fake","a":1}' }));
    expect(clash?.body).toEqual({ stream: 'stdout', log: '{"stream":"fake","a":1}', a: 1 });
    expect(counters.get('key_clash')).toBe(1);
    const [clean] = run(transform, event({ stream: 'stdout', log: '{"log":"inner","a":1}' }));
    expect(clean?.body).toEqual({ stream: 'stdout', a: 1, log: 'inner' });
  });

  it('parses a field at a path into its own object (AKS diagnostic records)', () => {
    const { transform } = build(jsonType, { field: 'properties.log', 'keep.original': 'false' });
    const input = event({
      category: 'kube-audit',
      properties: { log: '{"verb":"get","code":200}', pod: 'api-0' },
    });
    expect(run(transform, input)[0]?.body).toEqual({
      category: 'kube-audit',
      properties: { pod: 'api-0', verb: 'get', code: 200 },
    });
    const nested = build(jsonType, { field: 'properties.log', target: 'audit' }).transform;
    expect(run(nested, input)[0]?.body).toEqual({
      category: 'kube-audit',
      properties: { log: '{"verb":"get","code":200}', pod: 'api-0', audit: { verb: 'get', code: 200 } },
    });
    const missing = event({ properties: 'text' });
    expect(run(transform, missing)[0]).toBe(missing);
    expect(run(transform, event('{"a":1}'))[0]?.body).toBe('{"a":1}');
  });

  it('parses a text body as a whole', () => {
    const { transform } = build(jsonType, { 'keep.original': 'false' });
    expect(run(transform, event(LOG))[0]?.body).toEqual({
      level: 'info',
      msg: 'order placed',
      amount: 129.95,
    });
    const kept = build(jsonType, {}).transform;
    expect(run(kept, event(' \n' + LOG))[0]?.body).toMatchObject({ log: ' \n' + LOG, level: 'info' });
  });

  it('keeps broken JSON as text and counts it; leaves plain text and non-objects alone', () => {
    const { transform, counters } = build(jsonType, {});
    const broken = event({ log: '{"level":"error","msg":"trunc' });
    expect(run(transform, broken)[0]).toBe(broken);
    const plain = event({ log: 'GET /healthz 200' });
    expect(run(transform, plain)[0]).toBe(plain);
    const array = event({ log: '[1,2]' });
    expect(run(transform, array)[0]).toBe(array);
    const number = event({ log: 42 });
    expect(run(transform, number)[0]).toBe(number);
    expect(counters.snapshot()).toEqual({ json_invalid: 1 });
  });

  it('writes a parsed "__proto__" key as a field, never as the prototype', () => {
    const { transform } = build(jsonType, {});
    const [out] = run(transform, event({ log: '{"__proto__":{"polluted":true}}' }));
    expect(Object.getPrototypeOf(out?.body)).toBe(Object.prototype);
    expect(Object.hasOwn(out?.body as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports invalid options', () => {
    expect(issuesOf(jsonType, { 'keep.original': 'maybe', field: 7 })).toEqual([
      'config.transforms.t.field: must be a string, got 7',
      'config.transforms.t.keep.original: must be true or false, got "maybe"',
    ]);
  });
});
