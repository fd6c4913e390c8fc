/**
 * `cri`: parses CRI log lines (`<time> <stream> <P|F> <log>`) and reassembles the `P` fragments of a long line,
 * per partition (the engine keeps one state per partition), stream and source (the file or container the line came
 * from). Fragments are held (their records stay unsettled, so no checkpoint passes them) until the `F` piece arrives;
 * a line that grows past `max.line.bytes`, or waits longer than `max.age.ms` on the partition's reading clock (which
 * runs only while nothing of the partition waits to be read: see engine/reading-clock.ts), is sent as it is, marked
 * `partial: true`, and so is the rest of it when it comes. A line that is not CRI passes through untouched.
 *
 * Inputs: a text body that is a CRI line; a JSON body whose `log` field is one; or a record Fluent Bit's CRI parser
 * already split (`stream`, `logtag`, `log`), whose `P` pieces are reassembled the same way.
 * @module
 */
import { defineSchema, parseOptions } from '../config/index.ts';
import {
  HOLD,
  type JsonObject,
  type LogEvent,
  type StatefulTransform,
  type Template,
} from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';
import { type CriLine, parseCriLine, parseCriTime } from './cri-line.ts';
import { templateOption } from './options.ts';
import type { TransformType } from './spec.ts';

/** Options of `cri`. */
export const criSchema = defineSchema({
  field: {
    type: 'string',
    default: 'log',
    doc: "For JSON bodies, the field that holds the CRI line (or the fragment, after Fluent Bit's CRI parser); the content is written back to it.",
  },
  source: {
    type: 'string',
    default: '${key:-${header.tag:-${kubernetes.docker_id}}}',
    doc: 'Template naming the file or container a line comes from: fragments are joined per partition, source and stream.',
  },
  'max.line.bytes': {
    type: 'int',
    min: 1024,
    default: 1048576,
    doc: 'A line growing past this many bytes is sent as gathered so far (with the fragment that passed the limit), marked partial: true.',
  },
  'max.age.ms': {
    type: 'int',
    min: 100,
    default: 5000,
    doc: 'A partial line that waited this long while its partition was caught up (every record of it read: the rest is not in the log yet), or while reading was stalled, is sent marked partial: true (checked about once a second).',
  },
});

/** Validated `cri` settings. */
export interface CriConfig {
  readonly field: string;
  readonly source: Template;
  readonly maxLineBytes: number;
  readonly maxAgeMs: number;
}

/** A fragment of a line: the parsed CRI fields and the body fields to keep. */
interface Fragment {
  readonly event: LogEvent;
  readonly line: Omit<CriLine, 'time'> & { readonly time: string | undefined };
  /** Other fields of a JSON body (undefined for a text body). */
  readonly base: JsonObject | undefined;
}

/** A line being reassembled, or (with no fragments) a marker that the next piece continues a line already sent. */
interface OpenLine {
  readonly fragments: Fragment[];
  bytes: number;
  /** The reading clock when `flush` first saw it: the age limit counts from there. */
  seenAtMs: number | undefined;
  /** Part of this line was already sent partial. */
  readonly continued: boolean;
}

/** Reassembly state of one partition. */
export interface CriState {
  readonly open: Map<string, OpenLine>;
  /** Entries of `open` that are markers (no fragments). */
  markers: number;
}

/**
 * Markers kept per partition: a marker waits for the rest of its line however long it takes, but a container that
 * died mid-line never sends it; past this many, the oldest marker is forgotten.
 */
const MAX_MARKERS = 1000;

/** Compiles `cri`. Counts `not_cri`, `reassembled`, `partial_size` and `partial_age`. */
export function createCri(config: CriConfig, counters: TransformCounters): StatefulTransform<CriState> {
  return {
    init: () => ({ open: new Map(), markers: 0 }),
    apply(state, event) {
      const fragment = fragmentOf(event, config.field);
      if (fragment === undefined) {
        counters.add('not_cri');
        return event;
      }
      if (!fragment.line.partial && state.open.size === 0) return lineOf([fragment], config.field, false);
      const key = `${config.source.render(event)}\u0000${fragment.line.stream}`;
      const open = state.open.get(key);
      if (open !== undefined && open.fragments.length === 0) state.markers -= 1;
      if (!fragment.line.partial) {
        if (open === undefined) return lineOf([fragment], config.field, false);
        state.open.delete(key);
        if (open.fragments.length === 0) return lineOf([fragment], config.field, open.continued);
        counters.add('reassembled');
        return lineOf([...open.fragments, fragment], config.field, open.continued, true);
      }
      return hold(state, key, open ?? newLine(false), fragment);
    },
    flush: (state, nowMs) => flushLines(state, nowMs, config, counters),
  };

  function hold(state: CriState, key: string, open: OpenLine, fragment: Fragment): LogEvent | typeof HOLD {
    open.fragments.push(fragment);
    open.bytes += Buffer.byteLength(fragment.line.content);
    if (open.bytes <= config.maxLineBytes) {
      state.open.set(key, open);
      return HOLD;
    }
    counters.add('partial_size');
    mark(state, key);
    return lineOf(open.fragments, config.field, true, true);
  }
}

/** Sends, marked partial, the lines held longer than `max.age.ms` on the partition's reading clock. */
function flushLines(
  state: CriState,
  nowMs: number,
  config: CriConfig,
  counters: TransformCounters,
): LogEvent[] {
  const out: LogEvent[] = [];
  for (const [key, open] of state.open) {
    if (open.fragments.length === 0) continue;
    if (open.seenAtMs === undefined) open.seenAtMs = nowMs;
    else if (nowMs - open.seenAtMs >= config.maxAgeMs) {
      counters.add('partial_age');
      out.push(lineOf(open.fragments, config.field, true, true));
      mark(state, key);
    }
  }
  return out;
}

/** Leaves a marker that the next piece of `key` continues a line sent partial (the oldest goes past the limit). */
function mark(state: CriState, key: string): void {
  state.open.set(key, newLine(true));
  state.markers += 1;
  if (state.markers <= MAX_MARKERS) return;
  for (const [oldest, open] of state.open) {
    if (open.fragments.length > 0 || oldest === key) continue;
    state.open.delete(oldest);
    state.markers -= 1;
    return;
  }
}

function newLine(continued: boolean): OpenLine {
  return { fragments: [], bytes: 0, seenAtMs: undefined, continued };
}

function fragmentOf(event: LogEvent, field: string): Fragment | undefined {
  const body = event.body;
  if (typeof body === 'string') {
    const line = parseCriLine(body);
    return line === undefined ? undefined : { event, line, base: undefined };
  }
  const value = body[field];
  if (typeof value !== 'string') return undefined;
  const { stream, logtag, time } = body;
  if (typeof logtag === 'string' && (stream === 'stdout' || stream === 'stderr')) {
    const first = logtag.split(':', 1)[0];
    if (first !== 'P' && first !== 'F') return undefined;
    const parsedTime = typeof time === 'string' ? parseCriTime(time) : undefined;
    const line: Fragment['line'] = {
      time: parsedTime === undefined ? undefined : (time as string),
      timeMs: parsedTime ?? event.timeMs,
      stream,
      logtag,
      partial: first === 'P',
      content: value,
    };
    return { event, line, base: body };
  }
  const line = parseCriLine(value);
  return line === undefined ? undefined : { event, line, base: body };
}

/**
 * The event for a whole line (or what was gathered of it). With `joins`, it lists every fragment's event in
 * `joined` (the held ones pass their holds to it); a line of one piece that was never held lists none.
 */
function lineOf(fragments: readonly Fragment[], field: string, partial: boolean, joins = false): LogEvent {
  const [first] = fragments;
  const last = fragments.at(-1);
  if (first === undefined || last === undefined) throw new Error('a line has at least one fragment');
  const content = fragments.length === 1 ? first.line.content : fragments.map((f) => f.line.content).join('');
  const { time, stream } = first.line;
  const body: JsonObject =
    first.base === undefined
      ? { time: time ?? '', stream, logtag: last.line.logtag, [field]: content }
      : {
          ...first.base,
          ...(time === undefined ? {} : { time }),
          stream,
          logtag: last.line.logtag,
          [field]: content,
        };
  if (partial) body.partial = true;
  return {
    record: first.event.record,
    ...(joins ? { joined: fragments.map((f) => f.event) } : {}),
    body,
    timeMs: first.line.timeMs,
    meta: first.event.meta,
  };
}

/** The `cri` transform type. */
export const criType: TransformType<CriConfig> = {
  type: 'cri',
  schema: criSchema,
  dynamicPrefixes: [],
  validate(options, context) {
    const { values, issues } = parseOptions(criSchema, options, context.path);
    const source = templateOption(values.source, `${context.path}.source`, issues);
    if (source === undefined || issues.length > 0) return { issues };
    const config = {
      field: values.field,
      source,
      maxLineBytes: values['max.line.bytes'],
      maxAgeMs: values['max.age.ms'],
    };
    return { config, issues };
  },
  create: (config, context, deps) => ({ name: context.alias, stateful: createCri(config, deps.counters) }),
};
