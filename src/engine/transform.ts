/**
 * Transforms are pure functions over events, compiled once from a typed config (no I/O, clock or logger inside).
 * A stateful transform (CRI reassembly) keeps its state as an explicit value per partition, which the engine owns:
 * records held in that state stay unsettled, so no checkpoint passes them until the event built from them is
 * delivered.
 * @module
 */
import type { LogEvent } from './event.ts';

/** Returned by a transform to drop an event on purpose; the record settles as dropped and is counted. */
export const DROP: unique symbol = Symbol('drop');

/** Returned by a stateful transform that keeps the event in its state (a partial line) for now. */
export const HOLD: unique symbol = Symbol('hold');

/** One event, several (a split), or DROP. */
export type TransformResult = LogEvent | readonly LogEvent[] | typeof DROP;

/**
 * A compiled transform.
 * @throws BridgeError with disposition `reject` for an event it cannot handle: the record is dead-lettered with
 *   stage TRANSFORMATION and this transform's name.
 */
export type TransformFn = (event: LogEvent) => TransformResult;

/**
 * A transform with state per partition. The engine takes one hold on the records of every event the transform keeps
 * (HOLD), so that no checkpoint passes them. An event emitted from kept events (from `apply` or `flush`) lists them
 * in `joined` (the event that completed it too, when there is one): each kept event's hold passes to it, and is
 * released once it reaches its own outcome. A kept event must be listed by exactly one emitted event, or by none
 * while it stays kept.
 */
export interface StatefulTransform<S> {
  /** A fresh state, for a newly seen partition. */
  init(): S;
  /** Applies the transform; may update `state`. HOLD keeps the event (its records stay unsettled). */
  apply(state: S, event: LogEvent): TransformResult | typeof HOLD;
  /**
   * Events whose time is up (e.g. partial lines older than the age limit), removed from `state`. The engine calls it
   * about once a second. `nowMs` is the partition's reading clock, not the wall clock: it runs only while nothing of
   * the partition waits to be read (or reading is stalled, see `Pipeline`), so that a kept event never times out
   * while what completes it waits in the log behind logbridge's own backlog. Compare it only with earlier values.
   */
  flush(state: S, nowMs: number): readonly LogEvent[];
}

/** A transform type: a name and a compiler from its config. */
export interface TransformSpec<C> {
  readonly name: string;
  compile(config: C): TransformFn;
}

/** A compiled transform in a chain, with the name it is reported under (dead-letter stage, metrics). */
export type NamedTransform =
  | { readonly name: string; readonly apply: TransformFn; readonly stateful?: undefined }
  | { readonly name: string; readonly stateful: StatefulTransform<unknown>; readonly apply?: undefined };
