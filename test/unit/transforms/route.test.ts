import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routeType } from '../../../src/transforms/route.ts';
import { build, context, event, issuesOf, run } from './events.ts';

const rules = {
  rules: 'audit,shop',
  'rule.audit.when.category': '^kube-audit$',
  'rule.audit.index': 'aks_audit',
  'rule.audit.sourcetype': 'azure:aks:audit',
  'rule.shop.when.kubernetes.namespace_name': '^shop',
  'rule.shop.unless.header.env': '^test$',
  'rule.shop.index': 'app_${kubernetes.namespace_name}',
  index: 'k8s_default',
  sourcetype: 'kube:container:${kubernetes.container_name:-unknown}',
  host: '${kubernetes.host}',
  topic:
    'acme/${kubernetes.cluster_name:-none}/${kubernetes.labels.app:-${kubernetes.container_name}}/${kubernetes.docker_id}',
};

const pod = (namespace: string, extra: Record<string, string> = {}) => ({
  log: 'x',
  kubernetes: {
    namespace_name: namespace,
    container_name: 'web',
    host: 'node-1',
    labels: { app: 'a/b+#' },
    docker_id: 'c1',
    ...extra,
  },
});

describe('route', () => {
  it('applies the first matching rule, the defaults for what it leaves unset', () => {
    const { transform, counters } = build(routeType, rules);
    const [audit] = run(transform, event({ category: 'kube-audit' }));
    // Literal text renders even when every reference is empty: the Solace sink refuses empty levels.
    expect(audit?.meta).toEqual({ index: 'aks_audit', sourcetype: 'azure:aks:audit', topic: 'acme/none//' });
    const [shop] = run(transform, event(pod('shop-eu')));
    expect(shop?.meta).toEqual({
      index: 'app_shop-eu',
      sourcetype: 'kube:container:web',
      host: 'node-1',
      topic: 'acme/none/a_b__/c1',
    });
    const [test] = run(transform, event(pod('shop-eu'), { headers: { env: 'test' } }));
    expect(test?.meta.index).toBe('k8s_default');
    expect(counters.snapshot()).toEqual({ rule_audit: 1, rule_shop: 1, default: 1 });
  });

  it('stops at the first rule that matches', () => {
    const { transform } = build(routeType, {
      rules: 'specific,broad',
      'rule.specific.when.level': '^error$',
      'rule.specific.index': 'errors',
      'rule.broad.when.level': '.',
      'rule.broad.index': 'all',
      'rule.broad.host': 'from-broad',
    });
    expect(run(transform, event({ level: 'error' }))[0]?.meta).toEqual({ index: 'errors' });
    expect(run(transform, event({ level: 'info' }))[0]?.meta).toEqual({ index: 'all', host: 'from-broad' });
  });

  it('sets nothing for a template that renders empty, keeping what the event had', () => {
    const { transform } = build(routeType, { host: '${kubernetes.host}', index: 'main' });
    const input = { ...event({ log: 'x' }), meta: { host: 'earlier', source: 'kept' } };
    expect(run(transform, input)[0]?.meta).toEqual({ host: 'earlier', source: 'kept', index: 'main' });
  });

  it('matches rules on record references: topic, key, partition', () => {
    const { transform } = build(routeType, {
      rules: 'eu',
      'rule.eu.when.topic': '-weu$',
      'rule.eu.when.key': '^tenant-',
      'rule.eu.index': 'eu_${partition}',
    });
    expect(
      run(transform, event({ a: 1 }, { topic: 'logs-weu', key: 'tenant-9', partition: 3 }))[0]?.meta,
    ).toEqual({
      index: 'eu_3',
    });
    expect(run(transform, event({ a: 1 }, { topic: 'logs-neu', key: 'tenant-9' }))[0]?.meta).toEqual({});
  });

  it('reports every invalid option with its path', () => {
    expect(
      issuesOf(routeType, {
        rules: 'a,a,b c,empty',
        'rule.a.when.x': '(x+)\\1',
        'rule.a.idx': 'y',
        'rule.a.index': '${',
        'rule.ghost.index': 'z',
        'rule.empty.when.x': 'y',
        topic: '${a:-',
      }),
    ).toEqual([
      'config.transforms.t.topic: template "${a:-" at 0: unclosed ${',
      'config.transforms.t.rule.ghost: is not listed in rules; add "ghost" to it',
      'config.transforms.t.rule.a.idx: is not a known option; did you mean "index"?',
      'config.transforms.t.rule.a.when.x: has a backreference (\\1), which no linear-time engine can run: rewrite the pattern without it',
      'config.transforms.t.rule.a.index: template "${" at 0: unclosed ${',
      'config.transforms.t.rule.a: sets nothing: give it at least one of index, sourcetype, source, host, topic',
      'config.transforms.t.rules: "a" is listed twice',
      'config.transforms.t.rules: "b c" must be 1-64 letters, digits, "-" or "_"',
      'config.transforms.t.rule.empty: sets nothing: give it at least one of index, sourcetype, source, host, topic',
    ]);
  });
});

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/transforms/${name}`, import.meta.url), 'utf8');

describe('route preset=mscs', () => {
  const audit = JSON.parse(fixture('aks-audit.jsonl')) as { records: Record<string, unknown>[] };
  const expected = JSON.parse(fixture('mscs-python-raw.expected.json')) as { ensure_ascii: string }[];

  it("splits records and labels them as the add-on does: sourcetype, source, the element's time", () => {
    const { transform } = build(routeType, { preset: 'mscs' });
    const parent = event(JSON.parse(fixture('aks-audit.jsonl')) as never, {
      topic: 'insights-logs-kube-audit',
    });
    const children = run(transform, parent);
    expect(children).toHaveLength(3);
    expect(children[0]?.meta).toEqual({
      sourcetype: 'mscs:azure:eventhub',
      source: 'eventhub://acme-logs.servicebus.windows.net/insights-logs-kube-audit;',
    });
    expect(children[0]?.body).toEqual(audit.records[0]);
    expect(children[0]?.timeMs).toBe(Date.parse('2024-11-24T08:17:01.134Z'));
    expect(children.every((c) => c.record === parent.record)).toBe(true);
  });

  it("writes _raw byte for byte as the add-on's json.dumps with mscs.python.raw", () => {
    const { transform } = build(routeType, { preset: 'mscs', 'mscs.python.raw': 'true' });
    const children = run(transform, event(JSON.parse(fixture('aks-audit.jsonl')) as never));
    expect(children.map((c) => c.body)).toEqual(expected.slice(0, 3).map((e) => e.ensure_ascii));
    const activity = run(transform, event(JSON.parse(fixture('activity-log.jsonl')) as never));
    expect(activity.map((c) => c.body)).toEqual(expected.slice(3).map((e) => e.ensure_ascii));
  });

  it('adds partition_id and consumer_group to the source with flags 2 and 4', () => {
    const source = (options: Record<string, string>) =>
      run(
        build(routeType, { preset: 'mscs', ...options }).transform,
        event({ a: 1 }, { topic: 'hub', partition: 7 }),
      )[0]?.meta.source;
    expect(source({ 'mscs.event.format.flags': '2' })).toBe(
      'eventhub://acme-logs.servicebus.windows.net/hub;partition_id=7;',
    );
    expect(source({ 'mscs.event.format.flags': '6' })).toBe(
      `eventhub://acme-logs.servicebus.windows.net/hub;partition_id=7;consumer_group=${context.consumerGroup};`,
    );
    expect(
      source({
        'mscs.event.format.flags': '4',
        'mscs.consumer.group': '$Default',
        'mscs.namespace': 'x.servicebus.windows.net',
      }),
    ).toBe('eventhub://x.servicebus.windows.net/hub;consumer_group=$Default;');
  });

  it('keeps other bodies whole, text as it is, drops empty records, and lets options override the preset', () => {
    const { transform, counters } = build(routeType, {
      preset: 'mscs',
      'mscs.python.raw': 'true',
      sourcetype: 'custom',
      index: 'azure',
    });
    expect(run(transform, event({ b: 'é', a: 1 }))[0]).toMatchObject({
      body: '{"b": "\\u00e9", "a": 1}',
      meta: { sourcetype: 'custom', index: 'azure' },
    });
    expect(run(transform, event('not json'))[0]?.body).toBe('not json');
    expect(run(transform, event({ records: [] }))).toEqual([]);
    expect(counters.get('empty')).toBe(1);
  });

  it('needs a namespace and refuses flag 1', () => {
    const noNamespace = routeType.validate(
      { preset: 'mscs', 'mscs.event.format.flags': '3' },
      { ...context, eventHubsNamespace: undefined },
    );
    expect(noNamespace.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'config.transforms.t.mscs.namespace: is required with preset=mscs when the source has no Event Hubs namespace (e.g. acme.servicebus.windows.net)',
      'config.transforms.t.mscs.event.format.flags: bit 1 (wrap events with Event Hubs properties) is not supported; use 0, 2, 4 or 6',
    ]);
  });
});
