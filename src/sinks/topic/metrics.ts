/**
 * Instruments of the `solace` and `mqtt` sinks (prom-client), created once per registry and labelled by connector
 * and sink: `logbridge_solace_*` and `logbridge_mqtt_*`. Rejections are labelled by error code, never by topic.
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Which transport: the metric name prefix. */
export type Transport = 'solace' | 'mqtt';

/** The instruments of one sink instance, labels bound. */
export interface PublisherMetrics {
  /** Messages handed to the library (each send, resends by logbridge included). */
  published(count: number): void;
  /** Messages the broker acknowledged (ACKNOWLEDGED_MESSAGE, PUBACK). */
  acked(count: number): void;
  /** Messages refused, by error code (`LB_…`). */
  rejected(code: string): void;
  /** Times a send waited for the publish window (INSUFFICIENT_SPACE → CAN_ACCEPT_DATA, or the in-flight bound). */
  windowWait(): void;
  /** Reconnects started (RECONNECTING_NOTICE, MQTT reconnect). */
  reconnect(): void;
  /** Messages the library republished after a reconnect (REPUBLISHING_UNACKED_MESSAGES, MQTT resend). */
  republished(count: number): void;
  /** A message waited longer than the send timeout for its acknowledgement: what was unacknowledged is resent. */
  sendTimeout(): void;
  /** Reports messages in flight (sent, not yet acknowledged) at each scrape; returns the remover. */
  sampleInFlight(read: () => number): () => void;
}

interface Instruments {
  readonly published: Counter<'connector' | 'sink'>;
  readonly acked: Counter<'connector' | 'sink'>;
  readonly rejected: Counter<'connector' | 'sink' | 'reason'>;
  readonly windowWaits: Counter<'connector' | 'sink'>;
  readonly reconnects: Counter<'connector' | 'sink'>;
  readonly republished: Counter<'connector' | 'sink'>;
  readonly sendTimeouts: Counter<'connector' | 'sink'>;
  readonly inFlight: Gauge<'connector' | 'sink'>;
  readonly samplers: Set<() => void>;
}

const cache = new WeakMap<Registry, Map<Transport, Instruments>>();

/** The instruments of one sink (created with the registry's first sink of that transport). */
export function publisherMetrics(
  registry: Registry,
  transport: Transport,
  labels: { readonly connector: string; readonly sink: string },
): PublisherMetrics {
  let byTransport = cache.get(registry);
  if (byTransport === undefined) cache.set(registry, (byTransport = new Map<Transport, Instruments>()));
  let instruments = byTransport.get(transport);
  if (instruments === undefined) byTransport.set(transport, (instruments = create(registry, transport)));
  const i = instruments;
  // Children bound to the labels once: per-message counting must stay cheap.
  const published = i.published.labels(labels);
  const acked = i.acked.labels(labels);
  return {
    published: (count) => {
      published.inc(count);
    },
    acked: (count) => {
      acked.inc(count);
    },
    rejected: (code) => {
      i.rejected.inc({ ...labels, reason: code });
    },
    windowWait: () => {
      i.windowWaits.inc(labels);
    },
    reconnect: () => {
      i.reconnects.inc(labels);
    },
    republished: (count) => {
      i.republished.inc(labels, count);
    },
    sendTimeout: () => {
      i.sendTimeouts.inc(labels);
    },
    sampleInFlight: (read) => {
      const sampler = (): void => {
        i.inFlight.set(labels, read());
      };
      i.samplers.add(sampler);
      return () => i.samplers.delete(sampler);
    },
  };
}

function create(registry: Registry, transport: Transport): Instruments {
  const registers = [registry];
  const prefix = `logbridge_${transport}`;
  const labelNames = ['connector', 'sink'] as const;
  const samplers = new Set<() => void>();
  return {
    samplers,
    published: new Counter({
      name: `${prefix}_published_total`,
      help: 'Messages handed to the client library, resends included.',
      labelNames,
      registers,
    }),
    acked: new Counter({
      name: `${prefix}_acked_total`,
      help: 'Messages the broker acknowledged.',
      labelNames,
      registers,
    }),
    rejected: new Counter({
      name: `${prefix}_rejected_total`,
      help: 'Messages the broker or library refused, by error code.',
      labelNames: [...labelNames, 'reason'],
      registers,
    }),
    windowWaits: new Counter({
      name: `${prefix}_window_waits_total`,
      help: 'Times publishing waited for the publish window or the in-flight bound.',
      labelNames,
      registers,
    }),
    reconnects: new Counter({
      name: `${prefix}_reconnects_total`,
      help: 'Reconnects started after an established connection was lost.',
      labelNames,
      registers,
    }),
    republished: new Counter({
      name: `${prefix}_republished_total`,
      help: 'Messages resent after a reconnect: possible duplicates, identified by their k_* properties.',
      labelNames,
      registers,
    }),
    sendTimeouts: new Counter({
      name: `${prefix}_send_timeouts_total`,
      help: 'Times a message waited longer than the send timeout for its acknowledgement; the unacknowledged ones were resent.',
      labelNames,
      registers,
    }),
    inFlight: new Gauge({
      name: `${prefix}_in_flight_messages`,
      help: 'Messages sent and not yet acknowledged.',
      labelNames,
      registers,
      collect: () => {
        for (const sample of samplers) sample();
      },
    }),
  };
}
