/**
 * Watches where the group's committed offsets stand against the log: lag per partition for status and metrics, and
 * the anomaly of a committed offset above the log end (kafkajs can commit past the end against Event Hubs, then
 * skips what is written next: reference/eventhubs-kafka.md §5).
 * @module
 */
import type { Logger } from 'pino';
import { asBridgeError } from './errors.ts';
import type { EngineMetrics } from './metrics.ts';
import type { PartitionOffsets, Source } from './source.ts';

/** Per-partition offsets with lag, as status shows them. */
export interface PartitionLag extends PartitionOffsets {
  /** end − committed (end − start when nothing is committed). */
  readonly lag: bigint;
  /** True when committed > end: the group would skip records; reset the offsets (see the README). */
  readonly committedAboveEnd: boolean;
}

/**
 * Periodically reads committed and end offsets. Status and metrics show the latest reading (never a live round trip
 * to Kafka in a request); committed, end and lag gauges are set together from one reading, so a scrape never shows
 * a committed offset above an end offset read at another time.
 */
export class OffsetsWatch {
  readonly #source: Source;
  readonly #connector: string;
  readonly #metrics: EngineMetrics;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #last: readonly PartitionLag[] = [];
  #readAtMs: number | undefined;
  #reading: Promise<readonly PartitionLag[]> | undefined;
  readonly #reported = new Set<string>();

  constructor(source: Source, connector: string, metrics: EngineMetrics, logger: Logger) {
    this.#source = source;
    this.#connector = connector;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** The latest reading (empty before the first). */
  get latest(): readonly PartitionLag[] {
    return this.#last;
  }

  /** When the latest reading was taken (epoch ms), undefined before the first. */
  get readAtMs(): number | undefined {
    return this.#readAtMs;
  }

  /** Reads now and then every `intervalMs`. */
  start(intervalMs: number): void {
    if (this.#source.offsets === undefined || this.#timer !== undefined) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Reads committed and end offsets once (a call while a reading is under way shares it); failures are logged at
   * debug and keep the previous reading.
   */
  refresh(): Promise<readonly PartitionLag[]> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<readonly PartitionLag[]> {
    if (this.#source.offsets === undefined) return this.#last;
    try {
      const offsets = await this.#source.offsets();
      this.#last = offsets.map((o) => this.#observe(o));
      this.#readAtMs = Date.now();
    } catch (error) {
      this.#logger.debug({ err: asBridgeError(error) }, 'reading partition offsets failed');
    }
    return this.#last;
  }

  #observe(o: PartitionOffsets): PartitionLag {
    const labels = { connector: this.#connector, topic: o.topic, partition: o.partition };
    const committedAboveEnd = o.committed !== undefined && o.committed > o.end;
    const lag = committedAboveEnd ? 0n : o.end - (o.committed ?? o.start);
    if (o.committed !== undefined) this.#metrics.committedOffset.set(labels, Number(o.committed));
    this.#metrics.partitionEndOffset.set(labels, Number(o.end));
    this.#metrics.partitionLag.set(labels, Number(lag));
    const key = `${o.topic}:${o.partition}`;
    if (committedAboveEnd && !this.#reported.has(key)) {
      this.#reported.add(key);
      this.#metrics.offsetAnomalies.inc({ connector: this.#connector, kind: 'committed_above_end' });
      this.#logger.error(
        { topic: o.topic, partition: o.partition, committed: String(o.committed), end: String(o.end) },
        'committed offset is above the log end: new records would be skipped; stop the connector and reset its offsets',
      );
    }
    return { ...o, lag, committedAboveEnd };
  }
}
