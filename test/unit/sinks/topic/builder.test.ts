import { describe, expect, it } from 'vitest';
import { checkTopicSettings, createTopicBuilder } from '../../../../src/sinks/topic/builder.ts';
import { sanitizeValue, topicProblem } from '../../../../src/sinks/topic/rules.ts';
import { record } from '../../engine/records.ts';
import { event, k8sBody } from './events.ts';

const SEED =
  'acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-${kubernetes.container_name}}/' +
  '${kubernetes.container_id}/${level:-info}';

const topicOf = (template: string, e = event(k8sBody('clusterx', 'appz', 'abc123'))): unknown =>
  createTopicBuilder({ template }).build(e);

describe('topic builder', () => {
  it('renders the seed hierarchy from event fields', () => {
    expect(topicOf(SEED)).toEqual({ topic: 'acme/clusterx/appz/abc123/info' });
  });

  it('falls back through nested defaults when a field is missing or empty', () => {
    const body = k8sBody('', 'appz', 'abc123');
    const kubernetes = body['kubernetes'] as Record<string, unknown>;
    kubernetes['labels'] = {};
    expect(topicOf(SEED, event(body))).toEqual({ topic: 'acme/unknown/appz-main/abc123/info' });
  });

  it('reads the Kafka key, headers and coordinates', () => {
    const e = event('plain text', {
      record: {
        ...record('logs', 7, 99),
        key: Buffer.from('pod-1'),
        headers: { cluster: Buffer.from('c9') },
      },
    });
    expect(topicOf('acme/${header.cluster}/${key}/${topic}/${partition}/${offset}', e)).toEqual({
      topic: 'acme/c9/pod-1/logs/7/99',
    });
  });

  it('keeps each value inside its level: separators, wildcards and URI schemes are replaced', () => {
    const e = event(k8sBody('a/b', '*>+#', 'containerd://abc/def'));
    expect(topicOf(SEED, e)).toEqual({ topic: 'acme/a_b/____/abc_def/info' });
  });

  it('lets the route transform choose the topic', () => {
    const e = event(k8sBody('clusterx', 'appz', 'abc123'), { meta: { topic: 'routed/elsewhere' } });
    expect(topicOf(SEED, e)).toEqual({ topic: 'routed/elsewhere' });
  });

  it('applies the rewrite to every match, with groups (fluentd topic_rewrite_pattern/replacement)', () => {
    const builder = createTopicBuilder({
      template: SEED,
      rewritePattern: '^acme/([^/]+)/',
      rewriteReplacement: 'corp/logs/$1/',
    });
    expect(builder.build(event(k8sBody('clusterx', 'appz', 'abc123')))).toEqual({
      topic: 'corp/logs/clusterx/appz/abc123/info',
    });
    const dashes = createTopicBuilder({ template: 'a/${x}', rewritePattern: '-', rewriteReplacement: '_' });
    expect(dashes.build(event({ x: 'b-c-d' }))).toEqual({ topic: 'a/b_c_d' });
  });

  it.each([
    ['an empty level', 'acme/${missing}/x', {}, 'level 2 is empty'],
    ['a topic over 250 bytes', 'acme/${big}', { big: 'é'.repeat(130) }, 'bytes of UTF-8, over 250'],
    [
      '129 levels (over 250 bytes before it is over 128 levels)',
      'a' + '/${x}'.repeat(128),
      { x: 'y' },
      'bytes',
    ],
    ['a reserved first level', '${x}/logs', { x: '_P2P' }, 'reserved character'],
  ])('refuses %s with the reason', (_what, template, body, reason) => {
    const result = topicOf(template, event(body));
    expect(result).toEqual({ problem: expect.stringContaining(reason) as unknown });
  });

  it('accepts the most levels 250 bytes can hold', () => {
    expect(topicOf('a' + '/${x}'.repeat(124), event({ x: 'y' }))).toEqual({ topic: 'a' + '/y'.repeat(124) });
  });

  it('refuses a rewrite that produces a wildcard or an empty level', () => {
    const star = createTopicBuilder({ template: 'a/b', rewritePattern: 'b', rewriteReplacement: '*' });
    expect(star.build(event({}))).toEqual({ problem: expect.stringContaining('wildcard') as unknown });
    const empty = createTopicBuilder({ template: 'a/b', rewritePattern: 'b' });
    expect(empty.build(event({}))).toEqual({
      problem: expect.stringContaining('level 2 is empty') as unknown,
    });
  });

  it('refuses a route topic that is not valid rather than sending it', () => {
    const e = event({}, { meta: { topic: 'acme/+/x' } });
    expect(topicOf(SEED, e)).toEqual({ problem: expect.stringContaining('wildcard') as unknown });
  });
});

describe('topic settings', () => {
  it('accepts the seed template', () => {
    expect(checkTopicSettings({ template: SEED })).toEqual([]);
  });

  it.each([
    ['acme/*/x', 'wildcard'],
    ['acme/${a:-#}', 'wildcard'],
    ['_acme/${a}', 'reserved'],
    ['acme//${a}', 'empty level'],
    ['acme/${a', 'unclosed'],
  ])('refuses template %s', (template, problem) => {
    expect(checkTopicSettings({ template }).map((p) => p.message)).toEqual([
      expect.stringContaining(problem),
    ]);
  });

  it('accepts wildcard characters inside references and bracket keys', () => {
    expect(checkTopicSettings({ template: 'acme/${labels["a*b"]:-x}' })).toEqual([]);
  });

  it('refuses a rewrite pattern that is not a regex', () => {
    expect(checkTopicSettings({ template: 'a', rewritePattern: '(' })).toEqual([
      {
        setting: 'rewritePattern',
        message: expect.stringContaining('Invalid regular expression') as unknown,
      },
    ]);
  });
});

describe('topic rules', () => {
  it('sanitises lone surrogates, controls and noncharacters', () => {
    expect(sanitizeValue('a\ud800b\u0000c\u009f\ufffe😀')).toBe('a\ufffdb_c__😀');
  });

  it('finds no problem in a valid topic and names the first one otherwise', () => {
    expect(topicProblem('acme/clusterx/appz/abc123')).toBeUndefined();
    expect(topicProblem('acme/!x')).toContain('starts with "!"');
    expect(topicProblem('$SYS/x')).toContain('reserved');
    expect(topicProblem('a/\u0001')).toContain('control character');
  });
});
