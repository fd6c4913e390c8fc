/**
 * Runs sample records through a connector's own decoder, transform chain and sink encoders, and reports each
 * stage. Nothing is sent: sinks are asked to encode only (never connected), and nothing is committed or
 * dead-lettered. Each transform runs in a chain of its own (the engine's `TransformChain`, with its per-partition
 * state for CRI reassembly), so that what every transform did can be shown.
 * @module
 */
import {
  asBridgeError,
  type BridgeError,
  type Decoded,
  type ErrorTolerance,
  type LogEvent,
  type NamedTransform,
  recordsOf,
  type Sink,
  type SourceRecord,
  TransformChain,
} from '../engine/index.ts';
import { eventView, positionOf, recordView, sinkOutput } from './render.ts';
import type {
  DeadLetterView,
  FlushTrace,
  OutputView,
  PreviewReport,
  RecordTrace,
  StepView,
} from './report.ts';

/** What a preview runs: the connector's parts, built but never started. */
export interface PreviewParts {
  readonly name: string;
  readonly decode: (record: SourceRecord) => Decoded;
  readonly transforms: readonly NamedTransform[];
  /** The sinks, each with whether it posts to HEC's `/raw` endpoint (how its payload is shown). */
  readonly sinks: readonly { readonly sink: Sink; readonly raw: boolean }[];
  readonly tolerance: ErrorTolerance;
  /** `errors.deadletterqueue.topic.name`, '' when none. */
  readonly deadLetterTopic: string;
}

/** Far enough ahead that every held partial line is past its age limit. */
const LATER_MS = 365 * 24 * 3600 * 1000;

/** One transform in its own chain, with counters of what it held and dropped during the current run. */
interface Stage {
  readonly name: string;
  readonly chain: TransformChain;
  held: number;
  dropped: number;
}

/** Runs the preview. `nowMs` stands for the clock where a stateful transform needs one (end-of-sample flush). */
export function runPreview(
  parts: PreviewParts,
  samples: readonly SourceRecord[],
  nowMs = Date.now(),
): PreviewReport {
  const stages = parts.transforms.map((transform): Stage => {
    const stage: Stage = {
      name: transform.name,
      chain: new TransformChain([transform], {
        held: () => (stage.held += 1),
        dropped: () => (stage.dropped += 1),
      }),
      held: 0,
      dropped: 0,
    };
    return stage;
  });
  const letters: DeadLetterView[] = [];
  const run = new Run(parts, stages, letters);
  const records = samples.map((record) => run.record(record));
  const flushes = stages.flatMap((_stage, index) => run.flush(index, nowMs));
  return {
    connector: parts.name,
    transforms: parts.transforms.map((t) => t.name),
    sinks: parts.sinks.map(({ sink }) => sink.id),
    records,
    end_of_sample: flushes,
    dead_letters: letters,
    summary: {
      records: samples.length,
      events: eventsPerSink(parts, [...records, ...flushes]),
      dropped: records.filter((r) => r.dropped !== undefined).length + sumDropped(records, flushes),
      dead_lettered: new Set(letters.map((l) => l.record)).size,
    },
  };
}

function eventsPerSink(
  parts: PreviewParts,
  traces: readonly { readonly outputs: readonly OutputView[] }[],
): Record<string, number> {
  const events: Record<string, number> = {};
  for (const { sink } of parts.sinks) events[sink.id] = 0;
  const outputs = traces.flatMap((trace) => trace.outputs.flatMap((output) => output.sinks));
  for (const out of outputs) if (!('rejected' in out)) events[out.sink] = (events[out.sink] ?? 0) + 1;
  return events;
}

function sumDropped(records: readonly RecordTrace[], flushes: readonly FlushTrace[]): number {
  let dropped = 0;
  for (const trace of [...records, ...flushes]) for (const step of trace.steps) dropped += step.dropped;
  return dropped;
}

/** One preview run: the stages keep their state from record to record, as in the pipeline. */
class Run {
  readonly #parts: PreviewParts;
  readonly #stages: readonly Stage[];
  readonly #letters: DeadLetterView[];

  constructor(parts: PreviewParts, stages: readonly Stage[], letters: DeadLetterView[]) {
    this.#parts = parts;
    this.#stages = stages;
    this.#letters = letters;
  }

  record(record: SourceRecord): RecordTrace {
    const view = recordView(record);
    let decoded: Decoded;
    try {
      decoded = this.#parts.decode(record);
    } catch (error) {
      this.#deadLetter([record], 'VALUE_CONVERTER', 'decode', asBridgeError(error));
      return { record: view, steps: [], outputs: [] };
    }
    if (decoded === 'empty')
      return { record: view, dropped: 'empty value (tombstone)', steps: [], outputs: [] };
    const { steps, events } = this.#through(0, [decoded]);
    return { record: view, decoded: eventView(decoded), steps, outputs: this.#encode(events) };
  }

  /** What stage `index` still holds after the last record, run through the stages after it. */
  flush(index: number, nowMs: number): FlushTrace[] {
    const stage = this.#stages[index];
    if (stage === undefined) return [];
    const results = [...stage.chain.flush(() => nowMs), ...stage.chain.flush(() => nowMs + LATER_MS)];
    const released = results.flatMap((result) => (result.failure === undefined ? result.events : []));
    if (released.length === 0) return [];
    const { steps, events } = this.#through(index + 1, released);
    return [
      {
        from: stage.name,
        note:
          'held when the sample ended (a partial line with no final fragment): the pipeline sends it, marked ' +
          'partial, once its age limit passes',
        steps,
        outputs: this.#encode(events),
      },
    ];
  }

  /** Runs events through the stages from `from`; stops at the first failure (the record is dead-lettered). */
  #through(from: number, input: readonly LogEvent[]): { steps: StepView[]; events: LogEvent[] } {
    const steps: StepView[] = [];
    let events = [...input];
    for (const stage of this.#stages.slice(from)) {
      if (events.length === 0) break;
      stage.held = 0;
      stage.dropped = 0;
      const out: LogEvent[] = [];
      for (const event of events) {
        const result = stage.chain.run(event);
        const failure = result.failure;
        if (failure !== undefined) {
          this.#deadLetter(recordsOf(failure.event), 'TRANSFORMATION', stage.name, failure.cause);
          steps.push({ ...this.#step(stage, events.length, out), failed: errorView(failure.cause) });
          return { steps, events: [] };
        }
        out.push(...result.events);
      }
      steps.push(this.#step(stage, events.length, out));
      events = out;
    }
    return { steps, events };
  }

  #step(stage: Stage, count: number, out: readonly LogEvent[]): StepView {
    return {
      transform: stage.name,
      in: count,
      out: out.map(eventView),
      dropped: stage.dropped,
      held: stage.held,
    };
  }

  #encode(events: readonly LogEvent[]): OutputView[] {
    return events.map((event) => ({
      event: eventView(event),
      sinks: this.#parts.sinks.map(({ sink, raw }) => {
        try {
          return sinkOutput(sink.id, sink.encode(event).payload, raw);
        } catch (error) {
          const cause = asBridgeError(error);
          this.#deadLetter(recordsOf(event), 'TASK_PUT', sink.id, cause);
          return { sink: sink.id, rejected: errorView(cause) };
        }
      }),
    }));
  }

  #deadLetter(records: readonly SourceRecord[], stage: string, component: string, cause: BridgeError): void {
    const { deadLetterTopic, tolerance } = this.#parts;
    const outcome =
      tolerance === 'all' && deadLetterTopic !== ''
        ? `dead-lettered to ${deadLetterTopic}`
        : 'the connector would FAIL (errors.tolerance=none): set errors.tolerance=all and ' +
          'errors.deadletterqueue.topic.name to dead-letter such records instead';
    for (const record of records) {
      this.#letters.push({
        record: positionOf(record),
        stage,
        component,
        code: cause.code,
        reason: cause.message,
        outcome,
      });
    }
  }
}

function errorView(cause: BridgeError): { code: string; message: string } {
  return { code: cause.code, message: cause.message };
}
