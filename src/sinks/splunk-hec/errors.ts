/**
 * The HEC status table (reference/splunk-hec.md §5) as error classes: each response is classified once, here.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** An event is over `splunk.hec.max.event.bytes`: dead-lettered before sending. */
export class HecEventTooLargeError extends BridgeError {
  readonly code = 'LB_HEC_EVENT_TOO_LARGE';
  readonly disposition = 'reject';
}

/** HEC refused one event's content (codes 6, 12, 13, 15): that event alone is dead-lettered. */
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

/** HEC is busy or throttling (503 code 9, 429): retried with backoff, preferring another endpoint. */
export class HecBusyError extends BridgeError {
  readonly code = 'LB_HEC_BUSY';
  readonly disposition = 'retry';
}

/** HEC answered 5xx (or 408): retried with backoff. */
export class HecServerError extends BridgeError {
  readonly code = 'LB_HEC_SERVER';
  readonly disposition = 'retry';
}

/** The request did not complete (connection refused or reset, timeout, TLS handshake): retried. */
export class HecNetworkError extends BridgeError {
  readonly code = 'LB_HEC_NETWORK';
  readonly disposition = 'retry';
}

/** A response that means our configuration or request is wrong (404, 415, codes 5, 10, 11, 14, unknown 4xx). */
export class HecProtocolError extends BridgeError {
  readonly code = 'LB_HEC_PROTOCOL';
  readonly disposition = 'fatal';
}

/** 413 for a single event: the server's `max_content_length` is below one event. */
export class HecRequestTooLargeError extends BridgeError {
  readonly code = 'LB_HEC_REQUEST_TOO_LARGE';
  readonly disposition = 'fatal';
}

/** A parsed HEC response body: `{"text": …, "code": n, "invalid-event-number"?: i, "ackId"?: n}`. */
export interface HecReply {
  readonly text?: string;
  readonly code?: number;
  readonly 'invalid-event-number'?: number;
  readonly ackId?: number;
}

/** How one response is handled. */
export type HecVerdict =
  | { readonly kind: 'success'; readonly ackId: number | undefined }
  | { readonly kind: 'invalid-event'; readonly index: number; readonly error: HecInvalidEventError }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'error'; readonly error: BridgeError; readonly retryAfterMs?: number };

const AUTH_CODES = new Set([1, 2, 3, 4, 16]);
const EVENT_CODES = new Set([6, 12, 13, 15]);

/**
 * Classifies a response.
 * @param status HTTP status.
 * @param reply the parsed body, if it was JSON.
 * @param retryAfter the `Retry-After` header, if any (seconds).
 */
export function classifyResponse(
  status: number,
  reply: HecReply | undefined,
  retryAfter?: string,
): HecVerdict {
  const code = reply?.code;
  if (status === 200 && (code === undefined || code === 0)) return { kind: 'success', ackId: reply?.ackId };
  if (status === 413) return { kind: 'too-large' };
  const said = `HTTP ${status}${code === undefined ? '' : ` code ${code}`}${reply?.text ? ` "${reply.text}"` : ''}`;
  if (status === 400 && code !== undefined && EVENT_CODES.has(code)) {
    const index = reply?.['invalid-event-number'] ?? 0;
    return {
      kind: 'invalid-event',
      index,
      error: new HecInvalidEventError(`HEC refused the event (${said})`),
    };
  }
  return { kind: 'error', error: errorFor(status, code, said), ...retryAfterOf(retryAfter) };
}

function errorFor(status: number, code: number | undefined, said: string): BridgeError {
  if ((code !== undefined && AUTH_CODES.has(code)) || status === 401 || status === 403) {
    return new HecAuthError(`HEC refused the token (${said}); check splunk.hec.token`);
  }
  if (code === 7) {
    return new HecIndexError(
      `HEC refused the index (${said}); route events to an index the token allows, or add it to the token`,
    );
  }
  if (status === 429 || (status === 503 && (code === undefined || code === 9))) {
    return new HecBusyError(`HEC is busy (${said})`);
  }
  if (status >= 500 || status === 408) return new HecServerError(`HEC failed (${said})`);
  return new HecProtocolError(
    `HEC answered ${said}; check splunk.hec.uri (the base URL, e.g. https://host:8088)`,
  );
}

function retryAfterOf(header: string | undefined): { retryAfterMs?: number } {
  if (header === undefined) return {};
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: Math.min(seconds, 300) * 1000 } : {};
}
