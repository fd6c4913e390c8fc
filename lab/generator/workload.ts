/**
 * The lab's stream of Kafka records: log statements from the fleet's containers, each shipped the way its cluster
 * ships logs — Fluent Bit JSON records to one topic, raw CRI lines (keyed by their log file) to the other.
 * Deterministic for a seed, except the timestamps, which follow the clock.
 * @module
 */
import { CRI_MAX_LINE_BYTES, criLinesOf, criLogPath, formatCriLine, type CriLine } from './cri.ts';
import { createFleet, type Container, type Fleet } from './fleet.ts';
import { fluentBitRecord } from './fluent-bit.ts';
import { longLineWriter, writers, type LogLine } from './logs/index.ts';
import { SeededRandom } from './random.ts';

/** A record to produce. */
export interface LabRecord {
  readonly topic: string;
  /** Raw CRI records: the log file path (so a file's lines, fragments included, stay in one partition, in order). */
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** Header names of raw CRI records (OpenTelemetry semantic-convention names). */
export const CRI_HEADERS = { path: 'log.file.path', cluster: 'k8s.cluster.name' } as const;

/** Options of {@link createWorkload}; all optional. */
export interface WorkloadOptions {
  /** @default 'logbridge-lab' */
  readonly seed?: string | number;
  /** @default { fluentBit: 'fluentbit-logs', cri: 'cri-logs' } */
  readonly topics?: { readonly fluentBit: string; readonly cri: string };
  /** Share of statements from Fluent Bit clusters (the rest from raw CRI clusters). @default 0.5 */
  readonly fluentBitShare?: number;
  /** Share of app JSON statements that are very long lines (split into `P` fragments in CRI). @default 0.01 */
  readonly longLineShare?: number;
  /** CRI line limit, bytes. @default 16384 */
  readonly criMaxLineBytes?: number;
  /** Wall clock, epoch ms. @default Date.now */
  readonly now?: () => number;
  /** @default createFleet(seed) */
  readonly fleet?: Fleet;
}

/** A source of records; each call to `next()` gives the records of one log statement (one or more). */
export interface Workload {
  readonly fleet: Fleet;
  next(): LabRecord[];
}

/** Styles whose apps also dump very long JSON lines now and then. */
const dumpingStyles = new Set(['logback-json', 'pino-json', 'zap-json']);

/** While a long stdout line is being written, a stderr line may land between its fragments (separate pipes). */
const interleavedShare = 0.3;

/** Builds a workload. */
export function createWorkload(options: WorkloadOptions = {}): Workload {
  const seed = options.seed ?? 'logbridge-lab';
  const fleet = options.fleet ?? createFleet(seed);
  const topics = options.topics ?? { fluentBit: 'fluentbit-logs', cri: 'cri-logs' };
  const random = new SeededRandom(seed).fork('workload');
  const clock = monotonicClock(options.now ?? Date.now, random.fork('clock'));
  const fluentBitShare = options.fluentBitShare ?? 0.5;
  const longLineShare = options.longLineShare ?? 0.01;
  const maxBytes = options.criMaxLineBytes ?? CRI_MAX_LINE_BYTES;
  const longLine = longLineWriter();
  const byShipping = {
    'fluent-bit': fleet.containers.filter((c) => c.shipping === 'fluent-bit'),
    cri: fleet.containers.filter((c) => c.shipping === 'cri'),
  };
  return {
    fleet,
    next() {
      const shipping = random.chance(fluentBitShare) ? 'fluent-bit' : 'cri';
      const pool = byShipping[shipping].length > 0 ? byShipping[shipping] : fleet.containers;
      const container = random.weighted(pool, (c) => c.weight);
      const long = dumpingStyles.has(container.style) && random.chance(longLineShare);
      const write = long ? longLine : writers[container.style];
      const context = { random, container, timeMs: clock.peekMs() };
      const lines = write(context);
      if (container.shipping === 'fluent-bit') {
        return lines.map((line) => fluentBitLabRecord(topics.fluentBit, container, line, clock.next()));
      }
      const pieces = lines.flatMap((line) => criLinesOf(line.stream, line.text, () => 0n, maxBytes));
      const ordered = long && random.chance(interleavedShare) ? interleave(pieces) : pieces;
      // Stamped in file order: the runtime stamps each write as it happens.
      return ordered.map((line) => criLabRecord(topics.cri, container, { ...line, timeNs: clock.next() }));
    },
  };
}

function fluentBitLabRecord(topic: string, container: Container, line: LogLine, timeNs: bigint): LabRecord {
  // The cluster name as a Fluent Bit record_modifier adds it (`Record cluster <name>`).
  const record = {
    ...fluentBitRecord(container, line.stream, line.text, timeNs),
    cluster: container.cluster,
  };
  return { topic, key: null, value: Buffer.from(JSON.stringify(record)), headers: {} };
}

function criLabRecord(topic: string, container: Container, line: CriLine): LabRecord {
  const path = criLogPath(container);
  return {
    topic,
    key: path,
    value: formatCriLine(line),
    headers: { [CRI_HEADERS.path]: path, [CRI_HEADERS.cluster]: container.cluster },
  };
}

/** Puts a stderr line after the first fragment of a split stdout line. */
function interleave(lines: readonly CriLine[]): CriLine[] {
  if (lines.length < 2 || lines[0]?.tag !== 'P') return [...lines];
  const warning = Buffer.from('runtime: heap usage at 83% of the container memory limit');
  const stderr: CriLine = { timeNs: 0n, stream: 'stderr', tag: 'F', message: warning };
  return [lines[0], stderr, ...lines.slice(1)];
}

interface Clock {
  /** The next timestamp, ns, strictly after the previous one. */
  next(): bigint;
  /** The wall clock now, ms (for timestamps inside messages, which come a little before the CRI stamp). */
  peekMs(): number;
}

/** Nanosecond timestamps that follow the wall clock and strictly increase (the sub-millisecond part is random). */
function monotonicClock(now: () => number, random: SeededRandom): Clock {
  let last = 0n;
  return {
    next() {
      const wall = BigInt(Math.floor(now())) * 1_000_000n + BigInt(random.int(0, 999_999));
      last = wall > last ? wall : last + BigInt(random.int(1_000, 40_000));
      return last;
    },
    peekMs: () => Math.max(Math.floor(now()), Number(last / 1_000_000n)),
  };
}
