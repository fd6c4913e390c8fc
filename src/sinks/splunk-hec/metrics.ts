/**
 * The HEC sink's instruments (prom-client), prefixed `logbridge_hec_`. They are created once per registry and
 * shared by every connector using it (labels `connector`, `endpoint` = host:port, `path`, `status`, `code`: all
 * low-cardinality).
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** HEC instruments. */
export interface HecMetrics {
  /** Requests sent, by endpoint and path (`event`, `raw`, `ack`, `health`). */
  readonly requests: Counter<'connector' | 'endpoint' | 'path'>;
  /** Responses by HTTP status (`network` when none arrived) and HEC code. */
  readonly responses: Counter<'connector' | 'endpoint' | 'path' | 'status' | 'code'>;
  /** Request latency, seconds. */
  readonly requestSeconds: Histogram<'connector' | 'endpoint' | 'path'>;
  /** Bytes sent in data request bodies (after compression). */
  readonly requestBytes: Counter<'connector' | 'endpoint'>;
  /** Events per data request. */
  readonly batchEvents: Histogram<'connector'>;
  /** Bytes per data request before compression. */
  readonly batchBytes: Histogram<'connector'>;
  /** Time from a data response with an ack id to `/ack` saying `true`, seconds. */
  readonly ackSeconds: Histogram<'connector' | 'endpoint'>;
  /** How waits for acks ended: `acked`, `timeout`, `lost`, `unsupported`, `closed`. */
  readonly acks: Counter<'connector' | 'endpoint' | 'outcome'>;
  /** Ack ids awaiting `true`. */
  readonly pendingAcks: Gauge<'connector' | 'endpoint'>;
  /** 1 when the endpoint is used, 0 while it is backed off. */
  readonly endpointUp: Gauge<'connector' | 'endpoint'>;
  /** Requests retried on another endpoint after this one failed. */
  readonly failovers: Counter<'connector' | 'endpoint'>;
}

const cache = new WeakMap<Registry, HecMetrics>();

/** The HEC instruments of `registry`, created on first use. */
export function hecMetrics(registry: Registry): HecMetrics {
  let metrics = cache.get(registry);
  if (metrics === undefined) {
    metrics = create(registry);
    cache.set(registry, metrics);
  }
  return metrics;
}

function create(registry: Registry): HecMetrics {
  const registers = [registry];
  const endpointLabels = ['connector', 'endpoint'] as const;
  return {
    requests: new Counter({
      name: 'logbridge_hec_requests_total',
      help: 'HEC requests sent, by endpoint and path.',
      labelNames: ['connector', 'endpoint', 'path'],
      registers,
    }),
    responses: new Counter({
      name: 'logbridge_hec_responses_total',
      help: 'HEC responses by endpoint, path, HTTP status (network: none) and HEC code.',
      labelNames: ['connector', 'endpoint', 'path', 'status', 'code'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'logbridge_hec_request_duration_seconds',
      help: 'HEC request latency.',
      labelNames: ['connector', 'endpoint', 'path'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    requestBytes: new Counter({
      name: 'logbridge_hec_request_bytes_total',
      help: 'Bytes sent in HEC data request bodies, after compression.',
      labelNames: endpointLabels,
      registers,
    }),
    batchEvents: new Histogram({
      name: 'logbridge_hec_batch_events',
      help: 'Events per HEC data request.',
      labelNames: ['connector'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers,
    }),
    batchBytes: new Histogram({
      name: 'logbridge_hec_batch_bytes',
      help: 'Bytes per HEC data request before compression.',
      labelNames: ['connector'],
      buckets: [1024, 16384, 65536, 262144, 524288, 1048576, 2097152, 5242880],
      registers,
    }),
    ackSeconds: new Histogram({
      name: 'logbridge_hec_ack_duration_seconds',
      help: 'Time from an ack id to /ack reporting it indexed.',
      labelNames: endpointLabels,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    acks: new Counter({
      name: 'logbridge_hec_acks_total',
      help: 'Waits for indexer acknowledgement by outcome (acked, timeout, lost, unsupported, closed).',
      labelNames: ['connector', 'endpoint', 'outcome'],
      registers,
    }),
    pendingAcks: new Gauge({
      name: 'logbridge_hec_pending_acks',
      help: 'Ack ids awaiting /ack true.',
      labelNames: endpointLabels,
      registers,
    }),
    endpointUp: new Gauge({
      name: 'logbridge_hec_endpoint_up',
      help: '1 when the HEC endpoint is used, 0 while it is backed off.',
      labelNames: endpointLabels,
      registers,
      // Member processes (workers > 1) merged: 0 when any process has it backed off.
      aggregator: 'min',
    }),
    failovers: new Counter({
      name: 'logbridge_hec_failovers_total',
      help: 'Requests tried on another endpoint after this one failed.',
      labelNames: endpointLabels,
      registers,
    }),
  };
}
