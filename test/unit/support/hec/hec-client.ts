/** A minimal HEC client for the server's own tests: one call, parsed reply. */
import { gzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { request } from 'undici';

/** A channel id that is a valid GUID. */
export const CHANNEL = '5b8e1c2a-0f3d-4c9e-9a7b-1d2e3f4a5b6c';
/** Another valid channel. */
export const OTHER_CHANNEL = 'e0b7c7a4-3c1e-4f55-8d5e-6a2b9c0d1e2f';

/** What a call returned. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly body?: string | Buffer;
  /** `Authorization: Splunk <token>`; none when absent. */
  readonly token?: string;
  /** `X-Splunk-Request-Channel`. */
  readonly channel?: string;
  /** Gzip the body and say so in `Content-Encoding`. */
  readonly gzip?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly dispatcher?: Dispatcher;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends one request to `baseUrl + path` and reads the whole reply. */
export async function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const raw = options.body ?? '';
  const body = options.gzip === true ? gzipSync(raw) : raw;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Splunk ${options.token}`;
  if (options.channel !== undefined) headers['x-splunk-request-channel'] = options.channel;
  if (options.gzip === true) headers['content-encoding'] = 'gzip';
  const method = options.method ?? 'POST';
  const response = await request(`${baseUrl}${path}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: parse(text) };
}

/** Concatenated JSON envelopes, as HEC wants them (one per line, like SCK). */
export function envelopes(...events: readonly unknown[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n');
}
