/**
 * The CRI log line format that containerd and CRI-O write under /var/log/pods (and /var/log/containers links):
 * `<RFC3339Nano time> <stdout|stderr> <tags> <content>`, where the first tag is `P` for a fragment of a longer line
 * (containerd splits lines at 16 KiB) and `F` for the last or only piece. Further tags, `:`-separated, are ignored.
 * @module
 */

/** One parsed CRI line. */
export interface CriLine {
  /** The time as written (nanoseconds kept). */
  readonly time: string;
  /** The time, epoch milliseconds. */
  readonly timeMs: number;
  readonly stream: 'stdout' | 'stderr';
  /** The tags as written, e.g. `F` or `P`. */
  readonly logtag: string;
  /** True for a `P` fragment. */
  readonly partial: boolean;
  readonly content: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a CRI line. One trailing `\n` (the file's line end, when a shipper kept it) is not part of the content.
 * @returns undefined when `text` is not a CRI line.
 */
export function parseCriLine(text: string): CriLine | undefined {
  const timeEnd = text.indexOf(' ');
  if (timeEnd < 20 || timeEnd > 35) return undefined;
  const time = text.slice(0, timeEnd);
  const streamEnd = text.indexOf(' ', timeEnd + 1);
  if (streamEnd < 0) return undefined;
  const stream = text.slice(timeEnd + 1, streamEnd);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let tagEnd = text.indexOf(' ', streamEnd + 1);
  const lineEnd = text.endsWith('\n') ? text.length - 1 : text.length;
  if (tagEnd < 0 || tagEnd > lineEnd) tagEnd = lineEnd;
  const logtag = text.slice(streamEnd + 1, tagEnd);
  const first = logtag.split(':', 1)[0];
  if (first !== 'P' && first !== 'F') return undefined;
  const timeMs = parseCriTime(time);
  if (timeMs === undefined) return undefined;
  const content = tagEnd >= lineEnd ? '' : text.slice(tagEnd + 1, lineEnd);
  return { time, timeMs, stream, logtag, partial: first === 'P', content };
}

/** @returns the epoch milliseconds of an RFC 3339 time with up to nanoseconds, or undefined. */
export function parseCriTime(time: string): number | undefined {
  if (!TIME.test(time)) return undefined;
  const timeMs = Date.parse(time);
  return Number.isNaN(timeMs) ? undefined : timeMs;
}
