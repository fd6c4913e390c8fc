/**
 * Errors are typed, coded and classified once, next to the protocol that raised them. The runner acts on the
 * disposition only; it never inspects messages or status codes. Every code is listed in docs/errors.md.
 * @module
 */

/**
 * What the runner does with a failure:
 * - `retry`: transient; try again later with backoff, the checkpoint waits.
 * - `reject`: this record alone is bad; dead-letter it and go on.
 * - `fatal`: the connector cannot work as configured; it goes to FAILED with a message that says what to fix.
 */
export type Disposition = 'retry' | 'reject' | 'fatal';

/** Base of every error logbridge raises on purpose. Messages never contain secrets. */
export abstract class BridgeError extends Error {
  /** Stable code, `LB_…`, listed in docs/errors.md; match on it rather than on the message. */
  abstract readonly code: `LB_${string}`;
  abstract readonly disposition: Disposition;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A record's bytes are not valid UTF-8 where text is expected. */
export class InvalidUtf8Error extends BridgeError {
  readonly code = 'LB_INVALID_UTF8';
  readonly disposition = 'reject';
}

/** A record that must be JSON (`record.format` = `json`) does not parse. */
export class InvalidJsonError extends BridgeError {
  readonly code = 'LB_INVALID_JSON';
  readonly disposition = 'reject';
}

/** A record or event is larger than the configured maximum. */
export class OversizeError extends BridgeError {
  readonly code = 'LB_OVERSIZE';
  readonly disposition = 'reject';
}

/** A transform failed on one record (its own code in the cause). */
export class TransformError extends BridgeError {
  readonly code = 'LB_TRANSFORM';
  readonly disposition = 'reject';
}

/** A record needs dead-lettering but the connector has no dead-letter topic and `errors.tolerance` is `none`. */
export class UntoleratedError extends BridgeError {
  readonly code = 'LB_UNTOLERATED';
  readonly disposition = 'fatal';
}

/** An operation was cut short because the connector is stopping. */
export class StoppingError extends BridgeError {
  readonly code = 'LB_STOPPING';
  readonly disposition = 'retry';
}

/** Something unexpected escaped a component: treated as transient, logged with its stack. */
export class UnexpectedError extends BridgeError {
  readonly code = 'LB_UNEXPECTED';
  readonly disposition = 'retry';
}

/** @returns `error` if it is a BridgeError, else an UnexpectedError wrapping it. */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnexpectedError(message, { cause: error });
}
