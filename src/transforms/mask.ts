/**
 * `mask`: hides personal data and secrets in event fields: e-mail addresses, IPv4 and IPv6 addresses, payment card
 * numbers (issuer prefix and Luhn checked), bearer tokens, JWTs, Azure keys and SAS signatures, and custom patterns.
 * Each kind is redacted, partly shown or replaced by a keyed hash (mask-modes.ts), in every string of the body or
 * the fields listed. Built-in detectors run in linear time on values of any size; custom patterns only run on
 * values up to `patterns.max.chars` (longer values are redacted whole, or the record is refused).
 * @module
 */
import type { TransformFn } from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';
import { builtInDetectors, type Detector, type Span, userPatternDetector } from './detectors.ts';
import { MaskOversizeError } from './errors.ts';
import { type MaskConfig, maskSchema, validateMask } from './mask-config.ts';
import { replacerFor } from './mask-modes.ts';
import { buildScope, maskBody } from './mask-scope.ts';
import type { TransformType } from './spec.ts';

/** Compiles `mask`. Counts `masked_<kind>` per value masked and `oversize` per value redacted whole. */
export function createMask(config: MaskConfig, counters: TransformCounters): TransformFn {
  const scope = buildScope(config.include, config.exclude);
  const maskText = textMasker(config, counters);
  return (event) => {
    const body = maskBody(event.body, scope, maskText);
    return body === event.body ? event : { ...event, body };
  };
}

/** Shortest value a built-in detector can find (`a::b`). */
const SHORTEST_MATCH = 4;

/** Longest value remembered as clean: metadata (names, labels, images, hosts) repeats, log lines rarely do. */
const CLEAN_MEMO_MAX_CHARS = 128;

/** Values remembered per generation. */
const CLEAN_MEMO_GENERATION = 4096;

/**
 * Short values the detectors found nothing in, so that the same value in the next event is not scanned again: a
 * pod's name, namespace, labels, image and host come with every line it writes. Two generations: when the current
 * one is full it becomes the previous one, and a value found there moves back, so values that keep coming stay while
 * one-off values (timestamps, ids) age out. Only clean values are kept: no personal data stays in memory for it.
 */
class CleanValues {
  #current = new Set<string>();
  #previous = new Set<string>();

  has(text: string): boolean {
    if (this.#current.has(text)) return true;
    if (!this.#previous.has(text)) return false;
    this.add(text);
    return true;
  }

  add(text: string): void {
    if (this.#current.size >= CLEAN_MEMO_GENERATION) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(text);
  }
}

function textMasker(config: MaskConfig, counters: TransformCounters): (text: string) => string {
  const builtIns = builtInDetectors();
  // A fresh RegExp per compiled transform: a global pattern keeps its match position.
  const custom = config.patterns.map(({ name, pattern }) =>
    userPatternDetector(name, { ...pattern, regex: new RegExp(pattern.regex.source, pattern.regex.flags) }),
  );
  const detectors: Detector[] = [...config.detectors.map((kind) => builtIns[kind]), ...custom];
  const replacers = new Map(
    [...config.modes].map(([kind, mode]) => [kind, replacerFor(mode, kind, config.hash)] as const),
  );
  const oversized = replacerFor('redact', 'oversize', undefined)('');
  const spans: Span[] = [];
  const clean = new CleanValues();
  return (text) => {
    if (custom.length > 0 && text.length > config.patternMaxChars) {
      if (config.oversize === 'reject') {
        throw new MaskOversizeError(
          `a value of ${text.length} characters is over patterns.max.chars (${config.patternMaxChars}), ` +
            'the longest value custom mask patterns run on',
        );
      }
      counters.add('oversize');
      return oversized;
    }
    if (text.length < SHORTEST_MATCH && custom.length === 0) return text;
    const memo = text.length <= CLEAN_MEMO_MAX_CHARS;
    if (memo && clean.has(text)) return text;
    spans.length = 0;
    for (const detector of detectors) detector.find(text, spans);
    if (spans.length === 0) {
      if (memo) clean.add(text);
      return text;
    }
    return rewrite(text, spans, replacers, counters);
  };
}

/** Replaces the spans, earliest first; a span overlapping one already replaced is left out. */
function rewrite(
  text: string,
  spans: Span[],
  replacers: ReadonlyMap<string, (value: string) => string>,
  counters: TransformCounters,
): string {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let done = 0;
  for (const span of spans) {
    if (span.start < done) continue;
    const replace = replacers.get(span.kind);
    if (replace === undefined) continue;
    out += text.slice(done, span.start) + replace(text.slice(span.start, span.end));
    done = span.end;
    counters.add(`masked_${span.kind}`);
  }
  return out + text.slice(done);
}

/** The `mask` transform type. */
export const maskType: TransformType<MaskConfig> = {
  type: 'mask',
  schema: maskSchema,
  dynamicPrefixes: ['mode.', 'pattern.'],
  validate: (options, context) => validateMask(options, context.path),
  create: (config, context, deps) => ({ name: context.alias, apply: createMask(config, deps.counters) }),
};
