/**
 * The engine's instruments (prom-client), shared by every connector of a process and labelled by connector.
 * Names follow one scheme: `logbridge_<noun>_<verb>_total` for counters, low-cardinality labels.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Engine instruments. */
export interface EngineMetrics {
  /** Functions run at each scrape to set gauges from live state (one per connector); returns the remover. */
  addSampler(sample: () => void): () => void;
  /**
   * Functions run whenever a tallied counter (`recordsReceived`) is read, adding what was counted since the last
   * reading (one per connector: the hot path adds to a number); returns the remover.
   */
  addTally(flush: () => void): () => void;
  readonly recordsReceived: Counter<'connector'>;
  readonly recordsSkipped: Counter<'connector' | 'reason'>;
  readonly eventsDropped: Counter<'connector' | 'stage' | 'reason'>;
  readonly eventsSent: Counter<'connector' | 'sink' | 'outcome'>;
  readonly sinkRetries: Counter<'connector' | 'sink' | 'code'>;
  readonly deadLetters: Counter<'connector' | 'stage' | 'reason'>;
  readonly deadLettersTruncated: Counter<'connector'>;
  readonly deadLetterBytesCut: Counter<'connector'>;
  readonly inFlightRecords: Gauge<'connector'>;
  readonly inFlightBytes: Gauge<'connector'>;
  readonly sourcePaused: Gauge<'connector'>;
  readonly committedOffset: Gauge<'connector' | 'topic' | 'partition'>;
  readonly commits: Counter<'connector' | 'result'>;
  readonly rebalances: Counter<'connector'>;
  readonly endToEndLatency: Histogram<'connector'>;
  readonly partitionEndOffset: Gauge<'connector' | 'topic' | 'partition'>;
  readonly partitionLag: Gauge<'connector' | 'topic' | 'partition'>;
  readonly offsetAnomalies: Counter<'connector' | 'kind'>;
  /** 1 for the connector's current state, 0 for the others (set by the worker at each scrape). */
  readonly connectorState: Gauge<'connector' | 'state'>;
  readonly connectorDegraded: Gauge<'connector'>;
  readonly sourceHealthy: Gauge<'connector'>;
  readonly sinkHealthy: Gauge<'connector' | 'sink'>;
}

/**
 * Creates (once per registry) the engine's instruments. With member processes (`workers` > 1) the API serves their
 * registries merged (prom-client's AggregatorRegistry): counters and histograms add up, and each gauge says how it
 * merges (`aggregator`; sums where none is given).
 */
export function createEngineMetrics(registry: Registry): EngineMetrics {
  const registers = [registry];
  const samplers = new Set<() => void>();
  const sample = (): void => {
    for (const sampler of samplers) sampler();
  };
  const tallies = new Set<() => void>();
  const flush = (): void => {
    for (const tally of tallies) tally();
  };
  return {
    addSampler: (sampler) => {
      samplers.add(sampler);
      return () => samplers.delete(sampler);
    },
    addTally: (tally) => {
      tallies.add(tally);
      return () => tallies.delete(tally);
    },
    recordsReceived: new Counter({
      name: 'logbridge_records_received_total',
      help: 'Records read from the source.',
      labelNames: ['connector'],
      registers,
      collect: flush,
    }),
    recordsSkipped: new Counter({
      name: 'logbridge_records_skipped_total',
      help: 'Records read again after a rebalance or seek while their first copy was in flight or settled.',
      labelNames: ['connector', 'reason'],
      registers,
    }),
    eventsDropped: new Counter({
      name: 'logbridge_events_dropped_total',
      help: 'Events dropped on purpose (empty records, filter rules), by stage and reason.',
      labelNames: ['connector', 'stage', 'reason'],
      registers,
    }),
    eventsSent: new Counter({
      name: 'logbridge_events_sent_total',
      help: 'Events that left for a sink, by outcome: delivered (durable) or rejected (dead-lettered).',
      labelNames: ['connector', 'sink', 'outcome'],
      registers,
    }),
    sinkRetries: new Counter({
      name: 'logbridge_sink_retries_total',
      help: 'Batch sends retried after a transient failure, by error code.',
      labelNames: ['connector', 'sink', 'code'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'logbridge_dead_letters_total',
      help: 'Records written to the dead-letter topic, by stage and reason (error code).',
      labelNames: ['connector', 'stage', 'reason'],
      registers,
    }),
    deadLettersTruncated: new Counter({
      name: 'logbridge_dead_letters_truncated_total',
      help: 'Dead letters whose value was cut to errors.deadletterqueue.max.bytes: those bytes are lost.',
      labelNames: ['connector'],
      registers,
    }),
    deadLetterBytesCut: new Counter({
      name: 'logbridge_dead_letter_bytes_cut_total',
      help: 'Bytes of record values cut from dead letters to fit errors.deadletterqueue.max.bytes (lost).',
      labelNames: ['connector'],
      registers,
    }),
    inFlightRecords: new Gauge({
      name: 'logbridge_in_flight_records',
      help: 'Records read and not yet settled.',
      labelNames: ['connector'],
      registers,
      collect: sample,
    }),
    inFlightBytes: new Gauge({
      name: 'logbridge_in_flight_bytes',
      help: 'Bytes of records read and not yet settled.',
      labelNames: ['connector'],
      registers,
    }),
    sourcePaused: new Gauge({
      name: 'logbridge_source_paused',
      help: '1 while the source is paused because the in-flight budget is full.',
      labelNames: ['connector'],
      registers,
      aggregator: 'max',
    }),
    committedOffset: new Gauge({
      name: 'logbridge_committed_offset',
      help: 'Committed offset of the consumer group per partition, read together with the end offset.',
      labelNames: ['connector', 'topic', 'partition'],
      registers,
      aggregator: 'max',
    }),
    commits: new Counter({
      name: 'logbridge_commits_total',
      help: 'Offset commits, by result.',
      labelNames: ['connector', 'result'],
      registers,
    }),
    rebalances: new Counter({
      name: 'logbridge_rebalances_total',
      help: 'Consumer group rebalances seen.',
      labelNames: ['connector'],
      registers,
    }),
    endToEndLatency: new Histogram({
      name: 'logbridge_end_to_end_latency_seconds',
      help: 'From the record timestamp to the moment every sink durably accepted it.',
      labelNames: ['connector'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    partitionEndOffset: new Gauge({
      name: 'logbridge_partition_end_offset',
      help: 'Log end offset (high watermark) per partition, as last read.',
      labelNames: ['connector', 'topic', 'partition'],
      registers,
      aggregator: 'max',
    }),
    partitionLag: new Gauge({
      name: 'logbridge_partition_lag',
      help: 'Records between the group committed offset and the log end, per partition.',
      labelNames: ['connector', 'topic', 'partition'],
      registers,
      aggregator: 'first',
    }),
    offsetAnomalies: new Counter({
      name: 'logbridge_offset_anomalies_total',
      help: 'Offset problems seen: committed_above_end (a known kafkajs + Event Hubs failure), reset (out of range).',
      labelNames: ['connector', 'kind'],
      registers,
    }),
    connectorState: new Gauge({
      name: 'logbridge_connector_state',
      help: "1 for the connector's state (UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED), 0 for the others.",
      labelNames: ['connector', 'state'],
      registers,
      aggregator: 'first',
    }),
    connectorDegraded: new Gauge({
      name: 'logbridge_connector_degraded',
      help: '1 while the connector runs or starts but retries: its source cannot reach Kafka or a sink is unhealthy.',
      labelNames: ['connector'],
      registers,
      aggregator: 'max',
    }),
    sourceHealthy: new Gauge({
      name: 'logbridge_source_healthy',
      help: '1 while the source reaches its log (Kafka / Event Hubs), 0 while it retries its connection.',
      labelNames: ['connector'],
      registers,
      aggregator: 'min',
    }),
    sinkHealthy: new Gauge({
      name: 'logbridge_sink_healthy',
      help: '1 while the sink delivers, 0 while it retries (endpoint down, refusing, or backing off).',
      labelNames: ['connector', 'sink'],
      registers,
      aggregator: 'min',
    }),
  };
}
