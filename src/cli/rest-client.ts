/**
 * A small client of logbridge's REST API for the CLI (`status`, `connectors …`), on node:http.
 * @module
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Where the API is and how to authenticate. */
export interface RestTarget {
  /** Base URL, default http://127.0.0.1:8083 (`LOGBRIDGE_URL`). */
  readonly url: string;
  /** Bearer token (`LOGBRIDGE_REST_AUTH_TOKEN`). */
  readonly token: string | undefined;
}

/** An answer: status and parsed JSON (undefined for an empty body). */
export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Calls the API. @throws Error naming the URL when it cannot be reached. */
export function callApi(
  target: RestTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestAnswer> {
  const url = new URL(path, target.url.endsWith('/') ? target.url : `${target.url}/`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(target.token === undefined ? {} : { authorization: `Bearer ${target.token}` }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : parse(text) });
        });
      },
    );
    req.on('error', (error) => {
      reject(
        new Error(`cannot reach the logbridge REST API at ${url.origin}: ${error.message}`, { cause: error }),
      );
    });
    req.end(payload);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
