/**
 * Turns a batch into request bodies. `/raw` metadata is request-wide (reference §3), so a batch is grouped by its
 * metadata query string, keeping event order within each group; `/event` batches are one group. A body is the
 * events' payloads written one after the other into one buffer of their summed size, gzipped off the main thread
 * (libuv pool) when compression is on.
 * @module
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { HecPayload } from './encoder.ts';

const gzipAsync = promisify(gzip);

/**
 * Output chunk of the compressor. zlib's 16 KiB default hands a 1 MiB batch (~150 KiB compressed) back to the main
 * thread in ten or more pieces, each a callback and a buffer; 64 KiB halves the main thread's share of the work.
 */
const GZIP_CHUNK_BYTES = 64 * 1024;

/** Events of a batch that share one request's metadata. */
export interface RequestGroup {
  /** `/raw` metadata query string; `''` for `/event`. */
  readonly query: string;
  /** Indexes into the batch, in batch order. */
  readonly indexes: readonly number[];
}

/** A request body ready to send. */
export interface RequestBody {
  readonly bytes: Buffer;
  readonly gzip: boolean;
  readonly query: string;
  /** Size before compression. */
  readonly rawBytes: number;
}

/** Groups the batch positions `indexes` by metadata query, in order of first appearance. */
export function groupRequests(payloads: readonly HecPayload[], indexes: readonly number[]): RequestGroup[] {
  const groups = new Map<string, number[]>();
  for (const index of indexes) {
    const query = payloads[index]?.query ?? '';
    let group = groups.get(query);
    if (group === undefined) groups.set(query, (group = []));
    group.push(index);
  }
  return [...groups].map(([query, members]) => ({ query, indexes: members }));
}

/** Writes the payloads at `indexes` one after the other and compresses them at `gzipLevel` (`undefined`: none). */
export async function buildBody(
  payloads: readonly HecPayload[],
  group: RequestGroup,
  gzipLevel: number | undefined,
): Promise<RequestBody> {
  let size = 0;
  for (const index of group.indexes) size += payloads[index]?.bytes ?? 0;
  const raw = Buffer.allocUnsafe(size);
  let at = 0;
  for (const index of group.indexes) at = payloads[index]?.writeTo(raw, at) ?? at;
  if (at !== size) throw new Error(`HEC request body: wrote ${at} of ${size} bytes`);
  if (gzipLevel === undefined) return { bytes: raw, gzip: false, query: group.query, rawBytes: raw.length };
  const bytes = await gzipAsync(raw, { level: gzipLevel, chunkSize: GZIP_CHUNK_BYTES });
  return { bytes, gzip: true, query: group.query, rawBytes: raw.length };
}
