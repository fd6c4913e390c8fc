/** The shape of an event the server accepted, as tests read it back. */

/**
 * One accepted event, metadata resolved the way Splunk indexes it: the event's own keys first, then the request's
 * query string, then the token's defaults (reference §3).
 */
export interface HecEvent {
  /** `'event'` for `/services/collector[/event]`, `'raw'` for `/raw` (one event per line). */
  readonly endpoint: 'event' | 'raw';
  /** The envelope's `event` value as parsed JSON; for `/raw`, the line's text. */
  readonly event: unknown;
  /** Epoch seconds (decimals allowed); receipt time when the request gave none. */
  readonly time: number;
  readonly host: string;
  readonly source: string;
  readonly sourcetype: string;
  readonly index: string;
  /** Indexed fields (`/event` only), as sent. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
  /** The request's channel, if it had one. */
  readonly channel: string | undefined;
  /** The token that authenticated the request (kept in memory for assertions, never written to `out`). */
  readonly token: string;
  /** The ack id of the request that carried the event, when the token has ack on. */
  readonly ackId: number | undefined;
}

/** An event being built by a parser; the server sets `ackId` once the whole request is accepted. */
export type DraftEvent = { -readonly [K in keyof HecEvent]: HecEvent[K] };

/** Request-wide metadata: the query string's values over the token's defaults. */
export interface EventDefaults {
  readonly host: string;
  readonly source: string;
  readonly sourcetype: string;
  readonly index: string;
  /** Epoch seconds. */
  readonly time: number;
  readonly channel: string | undefined;
  readonly token: string;
  /** Indexes the token may write to; `undefined` = any. */
  readonly allowedIndexes: ReadonlySet<string> | undefined;
}

/** Why a request's body was refused: an HEC code and, for per-event errors, the zero-based event number. */
export interface BodyError {
  readonly code: number;
  readonly invalidEventNumber: number | undefined;
}

/** The events of a body up to the first bad one, and the error if there is one. */
export interface ParsedBody {
  /** Valid events before the first bad one (all of them when `error` is `undefined`); `ackId` not yet set. */
  readonly events: DraftEvent[];
  readonly error: BodyError | undefined;
}
