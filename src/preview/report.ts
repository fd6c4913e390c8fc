/**
 * The preview report: for each sample record, what every transform made of it, what each sink would send (the HEC
 * envelope, the Solace/MQTT topic and properties) and what would be dead-lettered and why. JSON-ready: offsets are
 * strings, times ISO 8601, so the CLI prints it and the REST API answers it as it is.
 * @module
 */
import type { EventMeta, JsonObject } from '../engine/index.ts';

/** A record as the preview shows it. */
export interface RecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: string | null;
  /** The value as UTF-8 text, or its bytes in base64 when it is not UTF-8 (`value_base64`). */
  readonly value?: string;
  readonly value_base64?: string;
  /** Set when the value shown was cut (its full size in bytes). */
  readonly value_truncated_from?: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** An event between two stages. */
export interface EventView {
  readonly body: JsonObject | string;
  readonly time: string;
  readonly meta: EventMeta;
  /** Every record the event carries (more than one for a reassembled CRI line), `topic/partition@offset`. */
  readonly records: readonly string[];
}

/** An error as the preview shows it. */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
}

/** What one transform did to the events that reached it. */
export interface StepView {
  /** The alias in `transforms=…`. */
  readonly transform: string;
  /** Events that reached this transform. */
  readonly in: number;
  /** Events it passed on, in order. */
  readonly out: readonly EventView[];
  /** Events it dropped on purpose (filter rules). */
  readonly dropped: number;
  /** Events it keeps for now (a CRI partial line waiting for its other fragments). */
  readonly held: number;
  /** Set when it refused the record (the record is dead-lettered). */
  readonly failed?: ErrorView;
}

/** What one sink would send for one event, or why it would refuse it. */
export type SinkOutput =
  | {
      readonly sink: string;
      /** HEC: the path the request goes to. */
      readonly endpoint: string;
      /** `/event`: the envelope (time, host, source, sourcetype, index, event, fields). */
      readonly envelope?: JsonObject;
      /** `/raw`: the text with its line breaker. */
      readonly text?: string;
      /** Request query string (`/raw` metadata, `/event` options). */
      readonly query?: string;
    }
  | {
      readonly sink: string;
      readonly topic: string;
      readonly content_type: string;
      /** User properties: `k_topic`, `k_partition`, `k_offset` and the configured ones. */
      readonly properties: Readonly<Record<string, string | number>>;
      readonly payload: string;
    }
  | { readonly sink: string; readonly rejected: ErrorView };

/** One event at the end of the chain, with what every sink makes of it. */
export interface OutputView {
  readonly event: EventView;
  readonly sinks: readonly SinkOutput[];
}

/** A record that would not be delivered as it is. */
export interface DeadLetterView {
  readonly record: string;
  /** Kafka Connect's stage: VALUE_CONVERTER, TRANSFORMATION or TASK_PUT. */
  readonly stage: string;
  /** The transform alias or sink id at that stage (`decode` for the value converter). */
  readonly component: string;
  readonly code: string;
  readonly reason: string;
  /** `dead-lettered to <topic>`, or what happens with `errors.tolerance=none`. */
  readonly outcome: string;
}

/** The trace of one sample record. */
export interface RecordTrace {
  readonly record: RecordView;
  /** The decoded event; absent when the value is empty (dropped) or cannot be decoded (dead-lettered). */
  readonly decoded?: EventView;
  readonly dropped?: string;
  readonly steps: readonly StepView[];
  readonly outputs: readonly OutputView[];
}

/** What stateful transforms still held after the last record, sent as they are once their age limit passes. */
export interface FlushTrace {
  /** The transform that held them. */
  readonly from: string;
  readonly note: string;
  readonly steps: readonly StepView[];
  readonly outputs: readonly OutputView[];
}

/** The whole preview. Nothing was sent anywhere to make it. */
export interface PreviewReport {
  readonly connector: string;
  readonly transforms: readonly string[];
  readonly sinks: readonly string[];
  readonly records: readonly RecordTrace[];
  readonly end_of_sample: readonly FlushTrace[];
  readonly dead_letters: readonly DeadLetterView[];
  readonly summary: {
    readonly records: number;
    /** Events every sink would receive (per sink, rejected ones left out). */
    readonly events: Readonly<Record<string, number>>;
    readonly dropped: number;
    readonly dead_lettered: number;
  };
}
