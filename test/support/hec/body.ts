/**
 * Reading a request body: `max_content_length` (413), `Content-Encoding` (gzip decoded, anything else 415) and a
 * corrupt gzip stream (400 code 6). Reference §3 and §7.
 *
 * `max_content_length` before or after decompression is unconfirmed (reference §3). The server counts wire bytes by
 * default (`Content-Length` is what an HTTP server can check before reading) and can count decoded bytes instead.
 * An oversized body is still read to its end, unbuffered, so the 413 reaches the client on a usable connection.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import type { Answer } from './protocol.ts';
import { answerFor, Code } from './protocol.ts';

const gunzip = promisify(gunzipCallback);

/** How the body limit is applied. */
export interface BodyLimits {
  readonly maxContentLength: number;
  readonly maxContentLengthOf: 'wire' | 'decoded';
}

/** A body read and decoded, or the answer that refuses it. */
export type BodyOutcome =
  | { readonly kind: 'ok'; readonly wireBytes: number; readonly gzip: boolean; readonly decoded: Buffer }
  | { readonly kind: 'refused'; readonly wireBytes: number; readonly gzip: boolean; readonly answer: Answer };

type Encoding = 'identity' | 'gzip' | 'unsupported';

function encodingOf(header: string | undefined): Encoding {
  const value = header?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return 'unsupported';
}

/** splunkd's wording for an oversized request; HTTP 413 itself is unconfirmed (reference §5, "Other"). */
function tooLarge(bytes: number, max: number): Answer {
  return {
    status: 413,
    body: `Content-Length of ${bytes} too large (maximum is ${max})`,
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
  };
}

const UNSUPPORTED_ENCODING: Answer = { status: 415, body: undefined };

/** Reads the whole body; buffers at most `limitBytes` and only counts the rest. */
async function collect(
  request: IncomingMessage,
  limitBytes: number,
): Promise<{ body: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= limitBytes) chunks.push(chunk);
    else chunks.length = 0;
  }
  return { body: bytes <= limitBytes ? Buffer.concat(chunks, bytes) : Buffer.alloc(0), bytes };
}

function isBufferTooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** Gunzips `wire`; a decoded size over the limit is a 413 in `'decoded'` mode, a corrupt stream is 400 code 6. */
async function decode(wire: Buffer, limits: BodyLimits): Promise<Buffer | Answer> {
  const decodedLimit = limits.maxContentLengthOf === 'decoded' ? limits.maxContentLength : undefined;
  try {
    return await gunzip(wire, decodedLimit === undefined ? {} : { maxOutputLength: decodedLimit });
  } catch (error) {
    if (decodedLimit !== undefined && isBufferTooLarge(error)) return tooLarge(wire.length, decodedLimit);
    return answerFor(Code.invalidDataFormat);
  }
}

/** Reads, limits and decodes a request body. Rejects only if the client aborts the request. */
export async function readBody(request: IncomingMessage, limits: BodyLimits): Promise<BodyOutcome> {
  const encoding = encodingOf(request.headers['content-encoding']);
  const gzip = encoding === 'gzip';
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  const wireLimit = limits.maxContentLengthOf === 'wire' ? limits.maxContentLength : Number.POSITIVE_INFINITY;
  // Nothing of a body that is refused anyway is buffered: oversized by its header, or in an unknown encoding.
  const refusedUpFront = declared > wireLimit || encoding === 'unsupported';
  const { body, bytes } = await collect(request, refusedUpFront ? -1 : wireLimit);
  const refuse = (answer: Answer): BodyOutcome => ({ kind: 'refused', wireBytes: bytes, gzip, answer });
  if (bytes > wireLimit) return refuse(tooLarge(bytes, wireLimit));
  if (encoding === 'unsupported') return refuse(UNSUPPORTED_ENCODING);
  if (!gzip || bytes === 0) {
    if (bytes > limits.maxContentLength) return refuse(tooLarge(bytes, limits.maxContentLength));
    return { kind: 'ok', wireBytes: bytes, gzip, decoded: body };
  }
  const decoded = await decode(body, limits);
  if (!Buffer.isBuffer(decoded)) return refuse(decoded);
  return { kind: 'ok', wireBytes: bytes, gzip, decoded };
}
