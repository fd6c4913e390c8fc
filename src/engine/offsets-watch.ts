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

/** Periodically reads committed and end offsets. */
export class OffsetsWatch {
  readonly #source: Source;
  readonly #connector: string;
  readonly #metrics: EngineMetrics;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #last: readonly PartitionLag[] = [];
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

  /** Reads committed and end offsets once; failures are logged at debug and keep the previous reading. */
  async refresh(): Promise<readonly PartitionLag[]> {
    if (this.#source.offsets === undefined) return this.#last;
    try {
      const offsets = await this.#source.offsets();
      this.#last = offsets.map((o) => this.#observe(o));
    } catch (error) {
      this.#logger.debug({ err: asBridgeError(error) }, 'reading partition offsets failed');
    }
    return this.#last;
  }

  #observe(o: PartitionOffsets): PartitionLag {
    const labels = { connector: this.#connector, topic: o.topic, partition: o.partition };
    const committedAboveEnd = o.committed !== undefined && o.committed > o.end;
    const lag = committedAboveEnd ? 0n : o.end - (o.committed ?? o.start);
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
