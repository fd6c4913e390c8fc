import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HOLD,
  type JsonObject,
  type JsonValue,
  type LogEvent,
  type StatefulTransform,
} from '../../../src/engine/index.ts';
import { luhnValid } from '../../../src/transforms/card-number.ts';
import { criType, type CriState } from '../../../src/transforms/cri.ts';
import { transformTypes } from '../../../src/transforms/index.ts';
import { maskType } from '../../../src/transforms/mask.ts';
import { pythonJsonDumps } from '../../../src/transforms/python-json.ts';
import { build, event, recordsOf, run } from './events.ts';

const POD = (n: number): string =>
  `kube.var.log.containers.p${n}_ns_c-${String(n).repeat(64).slice(0, 64)}.log`;

/** Options exercising each type; none refuses records on purpose (mask with patterns.oversize=reject would). */
const configs: Record<string, Record<string, unknown>[]> = {
  cri: [{}, { 'max.line.bytes': '1024', 'max.age.ms': '100' }],
  kubernetes: [{}, { cluster: '${header.c:-x}', overwrite: 'true' }],
  json: [{}, { target: 'parsed', 'keep.original': 'false' }, { field: 'a.b' }],
  filter: [
    { 'include.log': 'x', 'exclude.kubernetes.namespace_name': '^k' },
    { 'logical.op': 'or', 'include.a': '.' },
  ],
  mask: [{}, { mode: 'partial', patterns: 'p', 'pattern.p.regex': '(\\w)x', 'patterns.max.chars': '64' }],
  'split-records': [{}],
  route: [
    { rules: 'r', 'rule.r.when.a': 'x', 'rule.r.index': '${a}', topic: '${b:-${c}}/${key}' },
    { preset: 'mscs', 'mscs.python.raw': 'true', 'mscs.event.format.flags': '6' },
  ],
};

const criLine = fc
  .tuple(fc.constantFrom('stdout', 'stderr', 'stdin'), fc.constantFrom('P', 'F', 'X', 'F:y'), fc.string())
  .map(([stream, tag, text]) => `2024-11-24T08:16:00.123Z ${stream} ${tag} ${text}`);
const body = fc.oneof(
  fc.string({ unit: 'binary' }),
  criLine,
  fc.dictionary(
    fc.constantFrom('log', 'a', 'records', 'kubernetes', 'stream', 'logtag', 'time', '__proto__'),
    fc.jsonValue(),
  ),
  fc.jsonValue().map((value) => ({ records: [value, { time: '2024-01-01T00:00:00Z', x: value }] })),
  fc.dictionary(fc.string(), fc.jsonValue()),
) as fc.Arbitrary<JsonObject | string>;
const input = fc.record({
  body,
  key: fc.option(fc.oneof(fc.string(), fc.constant(POD(1))), { nil: undefined }),
});

describe('properties', () => {
  it.each(transformTypes.map((type) => [type.type, type] as const))(
    'no input makes %s throw',
    (name, type) => {
      for (const options of configs[name] ?? [{}]) {
        const { transform } = build(type, options);
        const stateful = transform.stateful;
        const state = stateful?.init();
        fc.assert(
          fc.property(fc.array(input, { maxLength: 8 }), fc.nat(), (inputs, nowMs) => {
            for (const [offset, item] of inputs.entries()) {
              const e = event(item.body, { offset, ...(item.key === undefined ? {} : { key: item.key }) });
              if (stateful === undefined) run(transform, e);
              else stateful.apply(state, e);
            }
            if (stateful !== undefined) stateful.flush(state, nowMs);
          }),
          { numRuns: 150 },
        );
      }
    },
  );

  it('reassembly never loses or duplicates bytes', () => {
    const line = fc.record({
      source: fc.integer({ min: 0, max: 2 }),
      stream: fc.constantFrom('stdout', 'stderr'),
      fragments: fc.array(
        fc.string({ unit: 'grapheme', maxLength: 700 }).map((s) => s.replaceAll('\n', ' ')),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.constantFrom(1024, 1500, 1048576),
        (lines, flushes, maxLineBytes) => {
          const { transform } = build(criType, {
            'max.line.bytes': String(maxLineBytes),
            'max.age.ms': '100',
          });
          const cri = transform.stateful as StatefulTransform<CriState>;
          const state = cri.init();
          const sent = new Map<string, string>();
          const records = [];
          let offset = 0;
          for (const l of lines) {
            const key = `${POD(l.source)}|${l.stream}`;
            sent.set(key, (sent.get(key) ?? '') + l.fragments.join(''));
            for (const [i, content] of l.fragments.entries()) {
              const tag = i === l.fragments.length - 1 ? 'F' : 'P';
              records.push(
                event(`2024-11-24T08:16:00Z ${l.stream} ${tag} ${content}`, {
                  offset: offset++,
                  key: POD(l.source),
                }),
              );
            }
          }
          // Interleave the sources as a partition would, keeping each source's order.
          const out: LogEvent[] = [];
          let clock = 0;
          for (const [i, record] of records.entries()) {
            const result = cri.apply(state, record);
            if (result !== HOLD) out.push(result as LogEvent);
            if (flushes[i % Math.max(flushes.length, 1)] === true)
              out.push(...cri.flush(state, (clock += 60)));
          }
          out.push(...cri.flush(state, (clock += 1000)), ...cri.flush(state, clock + 1000));
          const received = new Map<string, string>();
          for (const e of out) {
            const b = e.body as { stream: string; log: string };
            const key = `${e.record.key?.toString() ?? ''}|${b.stream}`;
            received.set(key, (received.get(key) ?? '') + b.log);
          }
          expect(received).toEqual(sent);
          const settled = out.flatMap((e) => recordsOf(e).map((r) => Number(r.position.offset)));
          expect(settled.sort((a, b) => a - b)).toEqual(records.map((_, i) => i));
        },
      ),
      { numRuns: 300 },
    );
  });

  const networks = ['4', '51', '55', '2221', '2720', '34', '37', '6011', '65', '3528', '36', '62'];
  const card = fc
    .record({
      prefix: fc.constantFrom(...networks),
      digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 20 }),
    })
    .map(({ prefix, digits }) => {
      const length = prefix === '34' || prefix === '37' ? 15 : 16;
      const body = (prefix + digits.join('')).slice(0, length - 1);
      const check = [...Array(10).keys()].find((d) => luhnValid(body + String(d))) ?? 0;
      return body + String(check);
    });
  const formatted = fc
    .tuple(card, fc.constantFrom('', ' ', '-'))
    .map(([digits, separator]) => digits.replace(/(\d{4})(?=\d)/g, `$1${separator}`));
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
  const email = fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,20}$/),
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.stringMatching(/^[a-z]{2,6}$/),
    )
    .map(([local, labels, tld]) => `${local.replace(/\.+$/, '')}@${labels.join('.')}.${tld}`);
  const word = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9]{0,8}$/),
    fc.string({ maxLength: 6 }).map((s) => s.replace(/[\w.@%+-]/g, ' ')),
  );
  const glue = fc.constantFrom(' ', ', ', '; ', ' "', '" ', '\t', ' (', ') ', ' | ', '\n');
  const text = (secret: fc.Arbitrary<string>) =>
    fc
      .tuple(word, glue, secret, glue, word)
      .map(([a, g1, s, g2, b]) => ({ text: `${a}${g1}${s}${g2}${b}`, secret: s }));

  it('mask never leaves a card number or an e-mail in a field it covers, and touches no other field', () => {
    const modes = ['redact', 'partial', 'hash'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.array(text(fc.oneof(formatted, email)), { minLength: 1, maxLength: 4 }),
        fc.jsonValue() as fc.Arbitrary<JsonValue>,
        (mode, planted, other) => {
          const options = { mode, 'hash.secret': 'a-property-test-secret', fields: 'covered' };
          const { transform } = build(maskType, options);
          const value: JsonValue = {
            list: planted.map((p) => p.text),
            nested: { deep: planted.map((p) => p.text).join(' ') },
          };
          const [out] = run(transform, event({ covered: value, other }));
          const covered = JSON.stringify((out?.body as JsonObject).covered);
          for (const { secret } of planted)
            expect(covered).not.toContain(JSON.stringify(secret).slice(1, -1));
          expect((out?.body as JsonObject).other).toEqual(other);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('Python-style JSON reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, ascii) => {
        expect(JSON.parse(pythonJsonDumps(value as JsonValue, ascii))).toEqual(
          JSON.parse(JSON.stringify(value)),
        );
      }),
    );
  });
});
