/**
 * Transforms are pure functions over events, compiled once from a typed config (no I/O, clock or logger inside).
 * @module
 */
import type { LogEvent } from './event.ts';

/** Returned by a transform to drop an event on purpose; the record settles as dropped and is counted. */
export const DROP: unique symbol = Symbol('drop');

/** One event, several (a split), or DROP. */
export type TransformResult = LogEvent | readonly LogEvent[] | typeof DROP;

/**
 * A compiled transform.
 * @throws BridgeError with disposition `reject` for an event it cannot handle: the record is dead-lettered with
 *   stage TRANSFORMATION and this transform's name.
 */
export type TransformFn = (event: LogEvent) => TransformResult;

/** A transform type: a name and a compiler from its config. */
export interface TransformSpec<C> {
  readonly name: string;
  compile(config: C): TransformFn;
}

/** A compiled transform with the name it is reported under. */
export interface NamedTransform {
  readonly name: string;
  readonly apply: TransformFn;
}
