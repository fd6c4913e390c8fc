/**
 * The HEC status table (reference/splunk-hec.md §5) as error classes: each response is classified once, here.
 * Every code is listed in docs/errors.md with what to do.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** An event is over `splunk.hec.max.event.bytes`, or blank: dead-lettered before sending. */
export class HecEventTooLargeError extends BridgeError {
  readonly code = 'LB_HEC_EVENT_TOO_LARGE';
  readonly disposition = 'reject';
}

/** HEC refused one event's content (codes 6, 12, 13, 15), or it is blank: that event alone is dead-lettered. */
export class HecInvalidEventError extends BridgeError {
  readonly code = 'LB_HEC_INVALID_EVENT';
  readonly disposition = 'reject';
}

/** The token is missing, invalid or disabled (codes 1–4, 16): fix `splunk.hec.token`. */
export class HecAuthError extends BridgeError {
  readonly code = 'LB_HEC_AUTH';
  readonly disposition = 'fatal';
}

/** The index is not allowed for the token (code 7): fix the route or the token's indexes. */
export class HecIndexError extends BridgeError {
  readonly code = 'LB_HEC_INDEX';
  readonly disposition = 'fatal';
}

/** The channel header did not reach HEC (codes 10, 11 on a data request): a proxy strips or rewrites it. */
export class HecChannelError extends BridgeError {
  readonly code = 'LB_HEC_CHANNEL';
  readonly disposition = 'fatal';
}

/** HEC is busy or throttling (503 code 9, 429): retried on another endpoint, then with backoff. */
export class HecBusyError extends BridgeError {
  readonly code = 'LB_HEC_BUSY';
  readonly disposition = 'retry';
}

/** HEC answered 5xx (or 408): retried on another endpoint, then with backoff. */
export class HecServerError extends BridgeError {
  readonly code = 'LB_HEC_SERVER';
  readonly disposition = 'retry';
}

/** The request did not complete (connection refused or reset, timeout, TLS handshake): retried elsewhere. */
export class HecNetworkError extends BridgeError {
  readonly code = 'LB_HEC_NETWORK';
  readonly disposition = 'retry';
}

/** Every endpoint is backed off: the batch waits for one to come back. */
export class HecUnavailableError extends BridgeError {
  readonly code = 'LB_HEC_UNAVAILABLE';
  readonly disposition = 'retry';
}

/** `/ack` did not report the batch indexed within `splunk.hec.event.timeout`: the batch is sent again. */
export class HecAckTimeoutError extends BridgeError {
  readonly code = 'LB_HEC_ACK_TIMEOUT';
  readonly disposition = 'retry';
}

/** The indexer forgot the ack channel (restart, idle cleanup, new LB session): pending batches are sent again. */
export class HecAckLostError extends BridgeError {
  readonly code = 'LB_HEC_ACK_LOST';
  readonly disposition = 'retry';
}

/** A response that means our configuration or request is wrong (404, 415, code 5, unknown 4xx). */
export class HecProtocolError extends BridgeError {
  readonly code = 'LB_HEC_PROTOCOL';
  readonly disposition = 'fatal';
}

/** 413 for a single event: the server's `max_content_length` is below one event. */
export class HecRequestTooLargeError extends BridgeError {
  readonly code = 'LB_HEC_REQUEST_TOO_LARGE';
  readonly disposition = 'fatal';
}

/** A parsed HEC response body: `{"text", "code", "invalid-event-number"?, "ackId"?}` or `{"acks": {...}}`. */
export interface HecReply {
  readonly text?: string;
  readonly code?: number;
  readonly 'invalid-event-number'?: number;
  readonly ackId?: number;
  readonly acks?: Readonly<Record<string, boolean>>;
}

/** How one data response is handled. */
export type HecVerdict =
  | { readonly kind: 'success'; readonly ackId: number | undefined }
  /** `index`: the request's zero-based event number, when HEC gave one. */
  | {
      readonly kind: 'invalid-event';
      readonly index: number | undefined;
      readonly error: HecInvalidEventError;
    }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'error'; readonly error: BridgeError; readonly retryAfterMs?: number };

const EVENT_CODES = new Set([6, 12, 13, 15]);
const CHANNEL_CODES = new Set([10, 11]);

const AUTH_HINTS: Readonly<Record<number, string>> = {
  1: 'the token is disabled: enable it in Splunk (Settings > Data inputs > HTTP Event Collector)',
  2: 'no token reached HEC: set splunk.hec.token (a proxy may strip the Authorization header)',
  3: 'HEC did not accept the Authorization header: a proxy may rewrite it',
  4: 'HEC does not know this token: check splunk.hec.token and that it exists on every indexer of splunk.hec.uri',
  16: 'remove token= from splunk.hec.uri: logbridge sends the token in the Authorization header',
};

/**
 * Classifies a response to `/event` or `/raw`.
 * @param status HTTP status.
 * @param reply the parsed body, if it was JSON.
 * @param retryAfter the `Retry-After` header, if any (seconds).
 * @param indexOf the index named by the request's event `n`, to name it in an incorrect-index error.
 */
export function classifyResponse(
  status: number,
  reply: HecReply | undefined,
  retryAfter?: string,
  indexOf?: (eventNumber: number) => string | undefined,
): HecVerdict {
  const code = reply?.code;
  if (status === 200 && (code === undefined || code === 0)) return { kind: 'success', ackId: reply?.ackId };
  if (status === 413) return { kind: 'too-large' };
  const said = describeReply(status, reply);
  const eventNumber = reply?.['invalid-event-number'];
  if (status === 400 && code !== undefined && EVENT_CODES.has(code)) {
    return {
      kind: 'invalid-event',
      index: eventNumber,
      error: new HecInvalidEventError(`HEC refused the event (${said})`),
    };
  }
  if (code === 7) {
    const index = eventNumber === undefined ? undefined : indexOf?.(eventNumber);
    const named = index === undefined ? 'the index' : `index "${index}"`;
    const error = new HecIndexError(
      `HEC refused ${named} (${said}): route events to an index the token allows, or add it to the token's indexes`,
    );
    return { kind: 'error', error };
  }
  return { kind: 'error', error: errorFor(status, code, said), ...retryAfterOf(retryAfter) };
}

/** `HTTP 400 code 6 "Invalid data format"`: what HEC said, for messages and dead-letter reasons. */
export function describeReply(status: number, reply: HecReply | undefined): string {
  const code = reply?.code;
  const text = reply?.text;
  return `HTTP ${status}${code === undefined ? '' : ` code ${code}`}${text ? ` "${text}"` : ''}`;
}

function errorFor(status: number, code: number | undefined, said: string): BridgeError {
  const hint = code === undefined ? undefined : AUTH_HINTS[code];
  if (hint !== undefined || status === 401 || status === 403) {
    return new HecAuthError(`HEC refused the token (${said}): ${hint ?? 'check splunk.hec.token'}`);
  }
  if (code !== undefined && CHANNEL_CODES.has(code)) {
    return new HecChannelError(
      `HEC did not get the request channel (${said}): a proxy or load balancer in front of HEC strips or rewrites ` +
        'the X-Splunk-Request-Channel header; let it through unchanged',
    );
  }
  if (status === 429 || (status === 503 && (code === undefined || code === 9))) {
    return new HecBusyError(`HEC is busy (${said})`);
  }
  if (status >= 500 || status === 408) return new HecServerError(`HEC failed (${said})`);
  if (status === 415) {
    return new HecProtocolError(`HEC refused gzip (${said}): set splunk.hec.enable.compression=false`);
  }
  return new HecProtocolError(
    `HEC answered ${said}: splunk.hec.uri must be the base URL with no path (https://host:8088) and HEC must be ` +
      'enabled (it is off by default)',
  );
}

/** `Retry-After` in seconds (an HTTP date is ignored), capped at 5 minutes. */
export function retryAfterOf(header: string | undefined): { retryAfterMs?: number } {
  if (header === undefined) return {};
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: Math.min(seconds, 300) * 1000 } : {};
}
