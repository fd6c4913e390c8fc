/**
 * Property and fuzz tests of the topic builder: whatever the field values (slashes, wildcards, empty, 10 KB,
 * invalid UTF-16, emoji, reserved prefixes), it never throws and every topic it emits passes solclientjs's own
 * client-side validation (the real library, loaded and initialised as the sink does) and MQTT's rules for a
 * publish topic as Mosquitto applies them.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import solace from 'solclientjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../../src/engine/index.ts';
import { loadSolclient } from '../../../../src/sinks/solace/solclient.ts';
import { createTopicBuilder, type TopicSettings } from '../../../../src/sinks/topic/builder.ts';
import { record } from '../../engine/records.ts';

beforeAll(async () => {
  // Initialises the factory with the sink's profile (version10_5: topics are measured in UTF-8 bytes).
  await loadSolclient(pino({ level: 'silent' }));
});

/** solclientjs's verdict: `createTopicDestination` throws on a topic it would not publish to. */
function solclientAccepts(topic: string): boolean {
  try {
    solace.SolclientFactory.createTopicDestination(topic);
    return true;
  } catch {
    return false;
  }
}

/**
 * MQTT 3.1.1 §4.7 / MQTT 5 §4.7: no wildcard in a publish topic, UTF-8 without U+0000; Mosquitto also refuses
 * (and disconnects for) control characters and noncharacters. Solace's MQTT service: ≤ 250 bytes, no empty level.
 */
function mqttAccepts(topic: string): boolean {
  if (topic === '' || !topic.isWellFormed() || /[+#]/.test(topic)) return false;
  for (const char of topic) {
    const c = char.codePointAt(0) ?? 0;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return false;
    if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) === 0xfffe) return false;
  }
  return Buffer.byteLength(topic, 'utf8') <= 250 && !topic.split('/').includes('');
}

const loneSurrogates = fc
  .array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 3 })
  .map((codes) => String.fromCharCode(...codes));
const codeUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes));
const hostile = fc.oneof(
  fc.constantFrom(
    '',
    '/',
    '//',
    '*',
    '>',
    '+',
    '#',
    '!',
    '$SYS',
    '_P2P',
    '#P2P/QUE/x',
    'containerd://abc/def',
  ),
  fc.constantFrom('x'.repeat(10_240), '😀'.repeat(100), 'é'.repeat(126), '\u0000', '\ufffe', '\u009f'),
  loneSurrogates,
  codeUnits,
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.stringMatching(/^[a-z0-9/*>+#_-]{0,40}$/),
);

const templates = [
  'acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-${kubernetes.container_name}}/${kubernetes.container_id}/${level:-info}',
  '${a}',
  '${a}/${b}',
  'acme/${a}${b}/${c:-x}',
  '${a:-${b:-fallback}}/y',
  'logs/${key}/${header.h}',
];
const rewrites: readonly Pick<TopicSettings, 'rewritePattern' | 'rewriteReplacement'>[] = [
  {},
  { rewritePattern: '^acme/([^/]+)/', rewriteReplacement: 'corp/$1/' },
  { rewritePattern: '_', rewriteReplacement: '/' },
  { rewritePattern: '.', rewriteReplacement: '$&' },
];

function eventOf(values: Record<'a' | 'b' | 'c' | 'key' | 'h' | 'route', string>, routed: boolean): LogEvent {
  const { a, b, c } = values;
  return {
    record: { ...record('logs', 0, 1), key: Buffer.from(values.key), headers: { h: Buffer.from(values.h) } },
    body: {
      a,
      b,
      c,
      level: c,
      kubernetes: { cluster: a, container_name: b, container_id: c, labels: { app: b } },
    },
    timeMs: 0,
    meta: routed ? { topic: values.route } : {},
  };
}

describe('every topic the builder emits', () => {
  it('is accepted by solclientjs and by MQTT rules, and the builder never throws', () => {
    const values = fc.record({
      a: hostile,
      b: hostile,
      c: hostile,
      key: hostile,
      h: hostile,
      route: hostile,
    });
    fc.assert(
      fc.property(
        values,
        fc.constantFrom(...templates),
        fc.constantFrom(...rewrites),
        fc.boolean(),
        (v, template, rewrite, routed) => {
          const result = createTopicBuilder({ template, ...rewrite }).build(eventOf(v, routed));
          if ('topic' in result) {
            expect(solclientAccepts(result.topic), result.topic).toBe(true);
            expect(mqttAccepts(result.topic), result.topic).toBe(true);
          } else {
            expect(result.problem).not.toBe('');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps a value with every hostile character inside one level', () => {
    fc.assert(
      fc.property(
        hostile.filter((s) => s !== ''),
        (value) => {
          const result = createTopicBuilder({ template: 'acme/${a}/end' }).build(
            eventOf({ a: value, b: '', c: '', key: '', h: '', route: '' }, false),
          );
          if ('topic' in result) expect(result.topic.split('/')).toHaveLength(3);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('fuzzed field values', () => {
  it.each([
    ['slashes', 'a/b/c', 'acme/a_b_c/end'],
    ['wildcards', '*>+#', 'acme/____/end'],
    ['emoji', '😀🚀', 'acme/😀🚀/end'],
    ['invalid UTF-16', 'x\ud800y', 'acme/x\ufffdy/end'],
  ])('%s stay one level of a valid topic', (_what, value, topic) => {
    const result = createTopicBuilder({ template: 'acme/${a}/end' }).build(
      eventOf({ a: value, b: '', c: '', key: '', h: '', route: '' }, false),
    );
    expect(result).toEqual({ topic });
    expect(solclientAccepts(topic)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['10 KB', 'x'.repeat(10_240)],
  ])('%s values give a reason instead of a topic', (_what, value) => {
    const result = createTopicBuilder({ template: 'acme/${a}/end' }).build(
      eventOf({ a: value, b: '', c: '', key: '', h: '', route: '' }, false),
    );
    expect('problem' in result).toBe(true);
  });
});
