/**
 * The lab's status line, printed every few seconds: records produced, events the HEC server received, the
 * connector's committed lag, dead letters, MQTT messages.
 * @module
 */
import { open } from 'node:fs/promises';
import { httpGet } from './http.ts';

/** Counts the lines of a file that only grows, reading only what was appended since the last call. */
export class LineCounter {
  readonly #file: string;
  #offset = 0;
  #lines = 0;

  constructor(file: string) {
    this.#file = file;
  }

  /** Lines (newline characters) in the file now; 0 while it does not exist. */
  async count(): Promise<number> {
    let handle;
    try {
      handle = await open(this.#file, 'r');
    } catch {
      return this.#lines;
    }
    try {
      const buffer = Buffer.alloc(256 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        for (let i = 0; i < bytesRead; i += 1) if (buffer[i] === 0x0a) this.#lines += 1;
      }
    } finally {
      await handle.close();
    }
    return this.#lines;
  }
}

/** The committed lag of a connector (sum over partitions), from logbridge's REST status; undefined if unknown. */
export async function committedLag(restUrl: string, connector: string): Promise<number | undefined> {
  const { status, body } = await httpGet(`${restUrl}/connectors/${connector}/status`, 5000);
  if (status !== 200) return undefined;
  const partitions = (JSON.parse(body) as { logbridge?: { partitions?: { lag?: number }[] } }).logbridge
    ?.partitions;
  if (partitions === undefined || partitions.length === 0) return undefined;
  return partitions.reduce((sum, partition) => sum + (partition.lag ?? 0), 0);
}

/** What one status line shows. */
export interface ProgressSnapshot {
  readonly elapsedS: number;
  readonly produced: number;
  readonly producedByTopic: ReadonlyMap<string, number>;
  readonly hecReceived: number;
  readonly lag: number | undefined;
  readonly deadLetters: number | undefined;
  readonly mqttReceived: number;
  /** Set when logbridge is not running, e.g. `exited (signal SIGKILL)`. */
  readonly logbridgeDown?: string;
}

const grouped = new Intl.NumberFormat('en-US');

/** `[lab 01:20] produced 16,012 (fluentbit-logs 8,010, cri-logs 8,002) · HEC received 15,950 · …` */
export function progressLine(s: ProgressSnapshot): string {
  const n = (value: number | undefined): string => (value === undefined ? '?' : grouped.format(value));
  const minutes = Math.floor(s.elapsedS / 60);
  const clock = `${String(minutes).padStart(2, '0')}:${String(Math.floor(s.elapsedS % 60)).padStart(2, '0')}`;
  const topics = [...s.producedByTopic].map(([topic, count]) => `${topic} ${n(count)}`).join(', ');
  const parts = [
    `produced ${n(s.produced)}${topics === '' ? '' : ` (${topics})`}`,
    `HEC received ${n(s.hecReceived)}`,
    `committed lag ${n(s.lag)}`,
    `dead letters ${n(s.deadLetters)}`,
    `MQTT ${n(s.mqttReceived)}`,
  ];
  if (s.logbridgeDown !== undefined) parts.push(`logbridge ${s.logbridgeDown}`);
  return `[lab ${clock}] ${parts.join(' · ')}`;
}
