/**
 * Raw CRI log lines, byte for byte as containerd writes them to `/var/log/pods/…` (linked from
 * `/var/log/containers/<pod>_<namespace>_<container>-<id>.log`): `<RFC3339Nano> <stdout|stderr> <P|F> <message>`.
 * A line longer than the runtime's limit is written as `P` (partial) fragments and a final `F`, cut at a byte count
 * (so possibly inside a UTF-8 sequence).
 * @module
 */
import type { Container } from './fleet.ts';
import type { Stream } from './logs/index.ts';

/** containerd's default `max_container_log_line_size`, bytes. */
export const CRI_MAX_LINE_BYTES = 16 * 1024;

/** The CRI log file of a container, the name the kubelet links and shippers tag records with. */
export function criLogPath(container: Pick<Container, 'pod' | 'name' | 'id'>): string {
  return `/var/log/containers/${container.pod.name}_${container.pod.namespace}_${container.name}-${container.id}.log`;
}

/**
 * Go's `time.RFC3339Nano` in UTC, as containerd prints it: nanoseconds with trailing zeros removed, and no fraction
 * at all on a whole second (`2025-01-02T15:04:05.12345Z`, `2025-01-02T15:04:05Z`).
 */
export function rfc3339Nano(epochNs: bigint): string {
  const seconds = epochNs / 1_000_000_000n;
  const nanos = epochNs % 1_000_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const fraction = nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}Z` : `${whole}.${fraction}Z`;
}

/**
 * Cuts a message into pieces of at most `maxBytes` bytes, as the runtime does: by bytes, not characters. An empty
 * message stays one empty piece.
 */
export function splitPartial(message: Buffer, maxBytes: number = CRI_MAX_LINE_BYTES): Buffer[] {
  if (maxBytes < 1) throw new RangeError('maxBytes must be at least 1');
  const pieces: Buffer[] = [];
  for (let at = 0; at < message.length; at += maxBytes) pieces.push(message.subarray(at, at + maxBytes));
  return pieces.length === 0 ? [message] : pieces;
}

/** One line of a CRI log file. */
export interface CriLine {
  readonly timeNs: bigint;
  readonly stream: Stream;
  /** `P`: a fragment, more follows; `F`: the last (or only) piece of a line. */
  readonly tag: 'P' | 'F';
  readonly message: Buffer;
}

/**
 * The CRI lines for one line a process wrote: one `F` line, or `P` fragments and an `F` when it is longer than
 * `maxBytes`. Each fragment gets its own timestamp from `clock` (the runtime stamps each write).
 */
export function criLinesOf(
  stream: Stream,
  text: string,
  clock: () => bigint,
  maxBytes: number = CRI_MAX_LINE_BYTES,
): CriLine[] {
  const pieces = splitPartial(Buffer.from(text, 'utf8'), maxBytes);
  return pieces.map((message, i) => ({
    timeNs: clock(),
    stream,
    tag: i === pieces.length - 1 ? 'F' : 'P',
    message,
  }));
}

/** The bytes of a CRI line as in the file, without the trailing newline. */
export function formatCriLine(line: CriLine): Buffer {
  return Buffer.concat([
    Buffer.from(`${rfc3339Nano(line.timeNs)} ${line.stream} ${line.tag} `),
    line.message,
  ]);
}
