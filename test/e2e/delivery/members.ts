/**
 * Helpers of the delivery e2e tests with several logbridge processes and CRI chains: what each process delivered
 * (to bound the duplicates a kill causes), CRI lines split into fragments the way containerd writes them, what HEC
 * received of them, and a watch on the group's committed offsets that catches any step back.
 */
import type { HecEvent } from '../../support/hec/index.ts';
import { committedOffsets, type KafkaCoordinates } from '../../support/kafka/index.ts';
import { logLines } from '../../support/logbridge.ts';

/** Kafka positions one process delivered to HEC. */
export class ProcessDeliveries {
  readonly #offsets = new Map<number, Set<number>>();

  record(event: HecEvent): void {
    const fields = event.fields as { kafka_partition?: string; kafka_offset?: string } | undefined;
    const partition = Number(fields?.kafka_partition);
    let offsets = this.#offsets.get(partition);
    if (offsets === undefined) this.#offsets.set(partition, (offsets = new Set()));
    offsets.add(Number(fields?.kafka_offset));
  }

  /** Positions delivered at or past `committed`: what the group will read, and deliver, again. */
  uncommitted(committed: Readonly<Record<number, bigint>>): number {
    let n = 0;
    for (const [partition, offsets] of this.#offsets) {
      const from = Number(committed[partition] ?? 0n);
      for (const offset of offsets) if (offset >= from) n += 1;
    }
    return n;
  }
}

/** How many times a process joined its consumer group (each join after the first may deliver again). */
export async function joins(logFile: string): Promise<number> {
  return (await logLines(logFile)).filter((line) => line.msg === 'partitions assigned').length;
}

/** One CRI line and the records containerd's fragments of it make. */
export interface CriLine {
  readonly key: string;
  readonly partition: number;
  readonly content: string;
  /** CRI texts: `P` fragments of `fragmentBytes`, then the `F` rest. */
  readonly records: readonly string[];
}

/** A CRI line of `bytes` bytes, numbered `id`, from source `key`, split at `fragmentBytes`. */
export function criLine(
  id: string,
  key: string,
  partition: number,
  bytes: number,
  fragmentBytes = 16_384,
): CriLine {
  const head = `{"line":"${id}","pad":"`;
  const content = `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
  const pieces: string[] = [];
  for (let at = 0; at < content.length; at += fragmentBytes)
    pieces.push(content.slice(at, at + fragmentBytes));
  const records = pieces.map(
    (piece, i) => `2024-11-24T08:16:00.000000001Z stdout ${i < pieces.length - 1 ? 'P' : 'F'} ${piece}`,
  );
  return { key, partition, content, records };
}

/** What HEC received of CRI lines: each log text with how often, and the events marked partial. */
export class LineDeliveries {
  readonly logs = new Map<string, number>();
  partial = 0;
  total = 0;

  record(event: HecEvent): void {
    const body = event.event as { log?: unknown; partial?: unknown };
    if (typeof body.log !== 'string')
      throw new Error(`not a CRI event: ${JSON.stringify(body).slice(0, 200)}`);
    this.total += 1;
    if (body.partial === true) this.partial += 1;
    this.logs.set(body.log, (this.logs.get(body.log) ?? 0) + 1);
  }

  /** Lines never received whole. */
  missing(lines: readonly CriLine[]): string[] {
    return lines.filter((l) => !this.logs.has(l.content)).map((l) => l.content.slice(0, 40));
  }

  /** Received texts that are no whole line (a fragment alone, or fragments glued to the wrong line). */
  foreign(lines: readonly CriLine[]): string[] {
    const whole = new Set(lines.map((l) => l.content));
    return [...this.logs.keys()].filter((log) => !whole.has(log)).map((log) => log.slice(0, 60));
  }
}

/** Polls a group's committed offsets and remembers every step back. */
export class CommitWatch {
  readonly regressions: string[] = [];
  readonly #highest = new Map<number, bigint>();
  readonly #timer: NodeJS.Timeout;
  polls = 0;

  constructor(kafka: KafkaCoordinates, group: string, topic: string, everyMs = 250) {
    let busy = false;
    this.#timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void committedOffsets(kafka, group, topic)
        .then((committed) => {
          this.polls += 1;
          for (const [p, offset] of Object.entries(committed)) {
            const partition = Number(p);
            const highest = this.#highest.get(partition) ?? -1n;
            if (offset < highest)
              this.regressions.push(`partition ${p}: ${String(highest)} → ${String(offset)}`);
            else this.#highest.set(partition, offset);
          }
        })
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
