/**
 * The lab's status line, printed every few seconds: records produced, events the HEC server received, the
 * connector's committed lag, dead letters, MQTT messages; the same for the AMQP connector when there is one.
 * @module
 */
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
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

/** HEC's events so far: in all, and by `fields.kafka_topic` (the topic or event hub they were read from). */
export interface HecCounts {
  readonly total: number;
  readonly byTopic: ReadonlyMap<string, number>;
}

/**
 * Counts the events of the HEC file (one JSON object per line) by `fields.kafka_topic`, reading only what was
 * appended since the last call; a line still being written is counted once whole.
 */
export class HecTopicCounter {
  readonly #file: string;
  #offset = 0;
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';
  #total = 0;
  readonly #byTopic = new Map<string, number>();

  constructor(file: string) {
    this.#file = file;
  }

  /** The counts now; empty while the file does not exist. */
  async count(): Promise<HecCounts> {
    let handle;
    try {
      handle = await open(this.#file, 'r');
    } catch {
      return this.#snapshot();
    }
    try {
      const buffer = Buffer.alloc(256 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        const lines = (this.#partial + this.#decoder.write(buffer.subarray(0, bytesRead))).split('\n');
        this.#partial = lines.pop() ?? '';
        for (const line of lines) if (line !== '') this.#add(topicOf(line));
      }
    } finally {
      await handle.close();
    }
    return this.#snapshot();
  }

  #add(topic: string): void {
    this.#total += 1;
    this.#byTopic.set(topic, (this.#byTopic.get(topic) ?? 0) + 1);
  }

  #snapshot(): HecCounts {
    return { total: this.#total, byTopic: new Map(this.#byTopic) };
  }
}

/** Sum of the counts of `topics`. */
export function countOf(counts: HecCounts, topics: readonly string[]): number {
  return topics.reduce((sum, topic) => sum + (counts.byTopic.get(topic) ?? 0), 0);
}

/** A HEC line's `fields.kafka_topic`; `''` when it has none or is not JSON. */
function topicOf(line: string): string {
  try {
    const topic = (JSON.parse(line) as { fields?: { kafka_topic?: unknown } }).fields?.kafka_topic;
    return typeof topic === 'string' ? topic : '';
  } catch {
    return '';
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
  /** The AMQP connector's numbers, when the lab runs one. */
  readonly amqp?: AmqpSnapshot;
}

/** What a status line shows of the AMQP connector. */
export interface AmqpSnapshot {
  readonly connector: string;
  readonly eventHub: string;
  /** Events the AMQP peer acknowledged to the generator. */
  readonly produced: number;
  readonly hecReceived: number;
  /** Enqueued minus checkpointed, summed over partitions (logbridge's status). */
  readonly lag: number | undefined;
}

const grouped = new Intl.NumberFormat('en-US');

/**
 * `[lab 01:20] produced 16,012 (fluentbit-logs 8,010, cri-logs 8,002) · HEC received 15,950 · … | lab-amqp:
 * produced 8,010 to fluentbit-amqp over AMQP · HEC received 7,990 · checkpoint lag 20` (HEC received: the events of
 * each connector's topics).
 */
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
  const amqp =
    s.amqp === undefined
      ? ''
      : ` | ${s.amqp.connector}: produced ${n(s.amqp.produced)} to ${s.amqp.eventHub} over AMQP · ` +
        `HEC received ${n(s.amqp.hecReceived)} · checkpoint lag ${n(s.amqp.lag)}`;
  return `[lab ${clock}] ${parts.join(' · ')}${amqp}`;
}
