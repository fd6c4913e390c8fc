/**
 * One HTTP client per HEC endpoint: an undici Agent with its own TLS settings and connection limit, a stable
 * channel GUID (reference §2: one per process and endpoint, never per request), and, for sticky load balancers, the
 * session cookie it was given.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { rootCertificates } from 'node:tls';
import type * as Undici from 'undici';
import type { Secret } from '../../config/index.ts';
import type { TlsSettings } from './config.ts';
import { type HecReply, HecNetworkError } from './errors.ts';

let loaded: typeof Undici | undefined;
/** undici, loaded with the first HEC endpoint rather than at start-up: a worker without a HEC sink never holds it. */
function undici(): typeof Undici {
  return (loaded ??= createRequire(import.meta.url)('undici') as typeof Undici);
}

/** A raw HEC response. */
export interface HecResponse {
  readonly status: number;
  readonly reply: HecReply | undefined;
  readonly retryAfter: string | undefined;
}

/** What an endpoint client needs. */
export interface EndpointOptions {
  /** Sent in `Authorization`, never logged. */
  readonly token: Secret;
  readonly tls: TlsSettings;
  /** Keep-alive connections (= concurrent requests) to this endpoint. */
  readonly connections: number;
  readonly requestTimeoutMs: number;
  /** Name of a session cookie to keep and send back (`splunk.hec.ack.cookie`). */
  readonly cookie: string | undefined;
  /** Called when the endpoint hands out a new session cookie: the ack channel may now live elsewhere. */
  readonly onSessionChange?: () => void;
}

/** The path of each collector endpoint we use. */
export const PATHS = {
  event: '/services/collector/event',
  raw: '/services/collector/raw',
  ack: '/services/collector/ack',
  health: '/services/collector/health',
} as const;

/** Which collector endpoint a request goes to. */
export type HecPath = keyof typeof PATHS;

/** Talks to one HEC endpoint. */
export class HecEndpoint {
  /** Base URL without a trailing slash, e.g. `https://idx-1:8088`. */
  readonly url: string;
  /** `host:port`, the metrics label and the name in status. */
  readonly label: string;
  /** Channel GUID of this endpoint for the life of the sink. */
  readonly channel = randomUUID();
  readonly #options: EndpointOptions;
  readonly #dispatcher: Undici.Agent;
  readonly #authorization: string;
  #cookie: string | undefined;

  constructor(url: string, options: EndpointOptions) {
    this.url = url.replace(/\/+$/, '');
    const parsed = new URL(this.url);
    this.label = `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
    this.#options = options;
    this.#authorization = `Splunk ${options.token.reveal()}`;
    const { verify, ca, serverName } = options.tls;
    this.#dispatcher = new (undici().Agent)({
      connections: options.connections,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connect: {
        rejectUnauthorized: verify,
        // Node replaces the system CAs with `ca`: keep them, so a private CA is trusted besides the public ones.
        ...(ca === undefined ? {} : { ca: [...rootCertificates, ca] }),
        ...(serverName === undefined ? {} : { servername: serverName }),
        timeout: Math.min(options.requestTimeoutMs, 10_000),
      },
    });
  }

  /**
   * POSTs events to `/event` or `/raw`.
   * @throws HecNetworkError when no response arrived (refused, reset, timeout, TLS failure).
   */
  postData(
    path: 'event' | 'raw',
    body: { readonly bytes: Buffer; readonly gzip: boolean; readonly query: string },
    signal: AbortSignal,
  ): Promise<HecResponse> {
    const type = path === 'event' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    return this.#call('POST', PATHS[path] + (body.query === '' ? '' : `?${body.query}`), signal, {
      body: body.bytes,
      headers: { 'content-type': type, ...(body.gzip ? { 'content-encoding': 'gzip' } : {}) },
    });
  }

  /** Asks `/ack` about ack ids of this endpoint's channel (reference §6). @throws HecNetworkError */
  postAck(ids: readonly number[], signal: AbortSignal): Promise<HecResponse> {
    return this.#call('POST', PATHS.ack, signal, {
      body: JSON.stringify({ acks: ids }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }

  /** `GET /services/collector/health`. @throws HecNetworkError */
  health(signal: AbortSignal): Promise<HecResponse> {
    return this.#call('GET', PATHS.health, signal, { headers: {} });
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { readonly body?: Buffer | string; readonly headers: Record<string, string> },
  ): Promise<HecResponse> {
    try {
      const response = await undici().request(this.url + path, {
        method,
        dispatcher: this.#dispatcher,
        signal,
        headers: {
          authorization: this.#authorization,
          'x-splunk-request-channel': this.channel,
          ...(this.#cookie === undefined ? {} : { cookie: this.#cookie }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: options.body }),
      });
      const text = await response.body.text();
      this.#keepCookie(response.headers['set-cookie']);
      return {
        status: response.statusCode,
        reply: parseReply(text),
        retryAfter: first(response.headers['retry-after']),
      };
    } catch (error) {
      throw new HecNetworkError(`no response from ${this.url}: ${describe(error)}`, { cause: error });
    }
  }

  /** Keeps the configured session cookie; a new value means a new session (SCK: resend what awaits its ack). */
  #keepCookie(header: string | string[] | undefined): void {
    const name = this.#options.cookie;
    if (name === undefined || header === undefined) return;
    for (const line of Array.isArray(header) ? header : [header]) {
      const pair = line.split(';', 1)[0]?.trim() ?? '';
      if (!pair.startsWith(`${name}=`) || pair === this.#cookie) continue;
      const changed = this.#cookie !== undefined;
      this.#cookie = pair;
      if (changed) this.#options.onSessionChange?.();
    }
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseReply(text: string): HecReply | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (loaded !== undefined && error instanceof loaded.errors.UndiciError)
    return `${error.code} ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return (code === undefined ? error.message : `${code} ${error.message}`) + cause;
  }
  return String(error);
}
