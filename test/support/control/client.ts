import { request } from 'node:http';
import type { ControlAddress } from './protocol.ts';

/**
 * Sends one control request (see `protocol.ts`) and returns the parsed answer. No timeout of its own: a start can
 * take as long as the peer's start timeout, and the test's timeout bounds the wait.
 *
 * @param path e.g. `/peers/kafka/stop`
 * @throws Error with the control server's message when it answers with an error status
 */
export function controlRequest<T>(address: ControlAddress, path: string, body: unknown = {}): Promise<T> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${address.url}${path}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${address.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(parseAnswer(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), path) as T);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    outgoing.on('error', (error) => {
      reject(new Error(`control channel ${address.url} unreachable for ${path}`, { cause: error }));
    });
    outgoing.end(text);
  });
}

function parseAnswer(status: number, text: string, path: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`control channel answered ${path} with ${status} and no JSON: ${text}`, { cause: error });
  }
  if (status >= 200 && status < 300) return parsed;
  throw new Error(`control channel: ${(parsed as { error?: string }).error ?? `status ${status}`}`);
}
