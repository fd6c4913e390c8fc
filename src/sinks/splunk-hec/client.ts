/**
 * One HTTP client per HEC endpoint (undici Pool with its own TLS settings and a stable channel GUID).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, errors as undiciErrors, request } from 'undici';
import type { HecSinkConfig } from './config.ts';
import { type HecReply, HecNetworkError } from './errors.ts';

/** A raw HEC response. */
export interface HecResponse {
  readonly status: number;
  readonly reply: HecReply | undefined;
  readonly retryAfter: string | undefined;
}

/** A request body and how it is encoded. */
export interface HecRequest {
  readonly path: string;
  readonly body: Buffer;
  readonly gzip: boolean;
  readonly signal: AbortSignal;
}

/** Talks to one HEC endpoint. */
export class HecEndpoint {
  /** Base URL without a trailing slash, e.g. `https://splunk-1:8088`. */
  readonly url: string;
  /** Stable channel GUID of this endpoint for the life of the process (required with indexer acknowledgement). */
  readonly channel = randomUUID();
  readonly #dispatcher: Agent;
  readonly #authorization: string;

  constructor(url: string, config: HecSinkConfig) {
    this.url = url.replace(/\/+$/, '');
    this.#authorization = `Splunk ${config.token}`;
    const ca = config.caFile === undefined ? undefined : readFileSync(config.caFile, 'utf8');
    this.#dispatcher = new Agent({
      connections: Math.max(2, config.maxInFlight),
      headersTimeout: config.requestTimeoutMs,
      bodyTimeout: config.requestTimeoutMs,
      connect: { rejectUnauthorized: config.tlsVerify, ...(ca === undefined ? {} : { ca }) },
    });
  }

  /**
   * POSTs a body.
   * @throws HecNetworkError when no response arrived (refused, reset, timeout, TLS failure).
   */
  async post(req: HecRequest): Promise<HecResponse> {
    try {
      const response = await request(this.url + req.path, {
        method: 'POST',
        dispatcher: this.#dispatcher,
        signal: req.signal,
        headers: {
          authorization: this.#authorization,
          'x-splunk-request-channel': this.channel,
          'content-type': 'application/json; charset=utf-8',
          ...(req.gzip ? { 'content-encoding': 'gzip' } : {}),
        },
        body: req.body,
      });
      const text = await response.body.text();
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        reply: parseReply(text),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    } catch (error) {
      throw new HecNetworkError(`no response from ${this.url}: ${describe(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
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
  if (error instanceof undiciErrors.UndiciError) return `${error.code} ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code} ${error.message}`;
  }
  return String(error);
}
