/**
 * What the server keeps for assertions: accepted events (all of them, or only a count), the request log with
 * secrets redacted, internal errors, and an optional JSON-lines file for the lab. Nothing is logged per event.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname } from 'node:path';
import type { HecEvent } from './event.ts';
import type { Answer, Endpoint } from './protocol.ts';

/** One request as the server saw and answered it. */
export interface HecRequestRecord {
  /** Arrival time, epoch ms. */
  readonly atMs: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** `undefined` for a path the server does not serve (404). */
  readonly endpoint: Endpoint | undefined;
  /** Query parameters; a `token` value is `'REDACTED'`. */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers, lower-cased; `authorization` is `'REDACTED'`. */
  readonly headers: Readonly<IncomingHttpHeaders>;
  readonly channel: string | undefined;
  /** Whether the body was gzip-encoded. */
  readonly gzip: boolean;
  /** Body bytes on the wire. */
  readonly bytes: number;
  /** Body bytes after decoding. */
  readonly decodedBytes: number;
  /** HTTP status sent; 0 when no response was sent (dropped, hung, or the client went away). */
  readonly status: number;
  /** HEC `code` of a JSON reply. */
  readonly code: number | undefined;
  /** The reply body as sent (parsed JSON, text, or `undefined`). */
  readonly reply: Answer['body'];
  /** Events accepted from this request. */
  readonly events: number;
  /** The `ackId` returned. */
  readonly ackId: number | undefined;
  /** Ack ids asked about, on `/ack`. */
  readonly ackQuery: readonly number[] | undefined;
  /** Whether an injected fault rule decided the outcome. */
  readonly fault: boolean;
}

/** What the recorder needs from the options. */
export interface RecorderOptions {
  readonly record: 'events' | 'count';
  readonly onEvent: ((event: HecEvent) => void) | undefined;
  readonly out: string | undefined;
  readonly maxRequestLog: number;
}

interface Waiter {
  readonly count: number;
  readonly resolve: () => void;
}

/** `headers` with `authorization` replaced by `'REDACTED'`. */
export function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return headers.authorization === undefined ? { ...headers } : { ...headers, authorization: 'REDACTED' };
}

/** `query` as a record with a `token` value replaced by `'REDACTED'`. */
export function redactQuery(query: URLSearchParams): Record<string, string> {
  const record = Object.fromEntries(query);
  if (record.token !== undefined) record.token = 'REDACTED';
  return record;
}

/** The line written to `out`: the event without its token. */
function lineOf(event: HecEvent): string {
  const { token: _token, ...rest } = event;
  return `${JSON.stringify(rest)}\n`;
}

/** Accepted events, request log and internal errors of one server. */
export class Recorder {
  /** Accepted events in arrival order (`record: 'events'` only). */
  readonly events: HecEvent[] = [];
  /** Unexpected errors inside the server. */
  readonly errors: Error[] = [];
  #requests: HecRequestRecord[] = [];
  #count = 0;
  #waiters: Waiter[] = [];
  readonly #options: RecorderOptions;
  readonly #out: WriteStream | undefined;
  #closing: Promise<void> | undefined;

  /** Opens `options.out` for appending (creating its folder); throws if that fails. */
  constructor(options: RecorderOptions) {
    this.#options = options;
    if (options.out !== undefined) {
      mkdirSync(dirname(options.out), { recursive: true });
      this.#out = createWriteStream(options.out, { flags: 'a' });
    }
  }

  /** Events accepted so far (also in `'count'` mode). */
  get count(): number {
    return this.#count;
  }

  /** The request log, oldest first; trimming replaces the array, so read it afresh. */
  get requests(): readonly HecRequestRecord[] {
    return this.#requests;
  }

  /** Records accepted events in arrival order and wakes `waitForEvents` callers. */
  accept(events: readonly HecEvent[]): void {
    const { record, onEvent } = this.#options;
    for (const event of events) {
      if (record === 'events') this.events.push(event);
      onEvent?.(event);
      this.#out?.write(lineOf(event));
    }
    this.#count += events.length;
    if (this.#waiters.length > 0) this.#wake();
  }

  /** Appends to the request log, trimming it back to `maxRequestLog` entries when it doubles. */
  logRequest(entry: HecRequestRecord): void {
    this.#requests.push(entry);
    if (this.#requests.length >= 2 * this.#options.maxRequestLog) {
      this.#requests = this.#requests.slice(-this.#options.maxRequestLog);
    }
  }

  /** Resolves once `count` events have been accepted in total; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs: number): Promise<void> {
    if (this.#count >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`HEC test server: ${this.#count} of ${count} events after ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(entry);
    });
  }

  /** Forgets events, the count and the request log (not errors). */
  clear(): void {
    this.events.length = 0;
    this.#count = 0;
    this.#requests = [];
  }

  /** Flushes and closes the `out` file; later calls get the same promise. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      if (this.#out === undefined) {
        resolve();
        return;
      }
      this.#out.end((error?: Error | null) => {
        if (error) reject(error);
        else resolve();
      });
    });
    return this.#closing;
  }

  #wake(): void {
    const ready = this.#waiters.filter((waiter) => waiter.count <= this.#count);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => waiter.count > this.#count);
    for (const waiter of ready) waiter.resolve();
  }
}
