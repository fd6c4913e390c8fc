/**
 * The secret type. A resolved `${env:}`/`${file:}` reference and the value of every `sensitive` option is a
 * {@link Secret}: whatever formats it — a template literal, `String()`, `JSON.stringify`, pino, `util.inspect`,
 * an error message — gets `[hidden]`. Only {@link Secret.reveal} gives the value, and it is called where a client
 * library needs it (an `Authorization` header, SASL, a broker login, an HMAC key), nowhere else.
 * @module
 */
import { inspect } from 'node:util';

/** How a secret is shown (Kafka Connect shows `[hidden]`). */
export const HIDDEN = '[hidden]';

/** A value that must never be shown. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value, for the client library that needs it. Never log, return or format what this gives. */
  reveal(): string {
    return this.#value;
  }

  /** True when the value is the empty string (an unset optional secret). */
  get empty(): boolean {
    return this.#value === '';
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [Symbol.toPrimitive](): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}

/** The value of a secret or of plain text, for code that accepts both. */
export function reveal(value: string | Secret): string {
  return value instanceof Secret ? value.reveal() : value;
}

/** How a configuration value may be quoted in a message: JSON for plain values, `[hidden]` for a secret. */
export function quoted(value: unknown): string {
  if (value instanceof Secret) return HIDDEN;
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
