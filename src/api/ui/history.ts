/**
 * Throughput and end-to-end latency over the last minutes, per connector, for the console's charts: the engine's
 * counters and latency histogram sampled every few seconds, kept as rates per interval and p50/p99 estimated from
 * the histogram's bucket deltas (linear within a bucket, as Prometheus' `histogram_quantile` does).
 * @module
 */
import type { Registry } from 'prom-client';

/** One interval of one connector. */
export interface HistoryPoint {
  /** End of the interval, epoch seconds. */
  readonly time: number;
  /** Records read per second. */
  readonly in_per_s: number;
  /** Events durably delivered per second, per sink. */
  readonly out_per_s: Readonly<Record<string, number>>;
  /** Record timestamp → settled, seconds; null when nothing settled in the interval. */
  readonly latency_p50_s: number | null;
  readonly latency_p99_s: number | null;
}

interface Totals {
  readonly atMs: number;
  readonly received: number;
  readonly delivered: Map<string, number>;
  /** Cumulative bucket counts by upper bound (ascending; +Inf last). */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

type MetricValues = { value: number; labels: Record<string, string | number | undefined> }[];

/** Samples the registry and keeps the last `keep` intervals per connector. */
export class History {
  readonly #registry: () => Promise<Registry>;
  readonly #keep: number;
  readonly #last = new Map<string, Totals>();
  readonly #points = new Map<string, HistoryPoint[]>();
  /** When the last sample was read. */
  #lastAtMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** @param registry the registry, or a function giving the one to read at each sample. */
  constructor(registry: Registry | (() => Promise<Registry>), keep = 180) {
    this.#registry = typeof registry === 'function' ? registry : () => Promise.resolve(registry);
    this.#keep = keep;
  }

  /** Samples now and every `intervalMs` (unref'd: it never keeps the process alive). */
  start(intervalMs: number): void {
    if (this.#timer !== undefined) return;
    void this.sample();
    this.#timer = setInterval(() => void this.sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The intervals kept for a connector, oldest first. */
  points(connector: string): readonly HistoryPoint[] {
    return this.#points.get(connector) ?? [];
  }

  /** Reads the counters once and adds an interval per connector seen before. */
  async sample(nowMs = Date.now()): Promise<void> {
    const totals = await this.#read(nowMs);
    // A connector first seen now had counted nothing at the last sample (counters appear with their first count):
    // its first interval starts there, or a connector that reads all it will between two samples shows no rate.
    const unseen =
      this.#lastAtMs === undefined
        ? undefined
        : { atMs: this.#lastAtMs, received: 0, delivered: new Map<string, number>(), buckets: [] };
    this.#lastAtMs = nowMs;
    for (const [connector, now] of totals) {
      const before = this.#last.get(connector) ?? unseen;
      this.#last.set(connector, now);
      if (before === undefined || now.atMs <= before.atMs) continue;
      const list = this.#points.get(connector) ?? [];
      list.push(intervalOf(before, now));
      if (list.length > this.#keep) list.splice(0, list.length - this.#keep);
      this.#points.set(connector, list);
    }
  }

  async #read(atMs: number): Promise<Map<string, Totals>> {
    const registry = await this.#registry();
    const values = async (name: string): Promise<MetricValues> =>
      (await registry.getSingleMetric(name)?.get())?.values ?? [];
    const totals = new Map<string, Totals>();
    const of = (connector: string): Totals => {
      let entry = totals.get(connector);
      if (entry === undefined) {
        entry = { atMs, received: 0, delivered: new Map(), buckets: [] };
        totals.set(connector, entry);
      }
      return entry;
    };
    for (const { labels, value } of await values('logbridge_records_received_total')) {
      const entry = of(String(labels.connector));
      totals.set(String(labels.connector), { ...entry, received: entry.received + value });
    }
    for (const { labels, value } of await values('logbridge_events_sent_total')) {
      if (labels.outcome !== 'delivered') continue;
      const { delivered } = of(String(labels.connector));
      delivered.set(String(labels.sink), (delivered.get(String(labels.sink)) ?? 0) + value);
    }
    const buckets = new Map<string, { le: number; count: number }[]>();
    for (const { labels, value } of await values('logbridge_end_to_end_latency_seconds')) {
      if (labels.le === undefined) continue;
      const connector = String(labels.connector);
      of(connector);
      const list = buckets.get(connector) ?? [];
      list.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), count: value });
      buckets.set(connector, list);
    }
    for (const [connector, list] of buckets) {
      totals.set(connector, { ...of(connector), buckets: list.toSorted((a, b) => a.le - b.le) });
    }
    return totals;
  }
}

function intervalOf(before: Totals, now: Totals): HistoryPoint {
  const seconds = (now.atMs - before.atMs) / 1000;
  const rate = (a: number, b: number): number => Math.max(0, b - a) / seconds;
  const out: Record<string, number> = {};
  for (const [sink, count] of now.delivered) out[sink] = rate(before.delivered.get(sink) ?? 0, count);
  const deltas = now.buckets.map((bucket) => ({
    le: bucket.le,
    count: bucket.count - (before.buckets.find((b) => b.le === bucket.le)?.count ?? 0),
  }));
  return {
    time: Math.round(now.atMs / 1000),
    in_per_s: rate(before.received, now.received),
    out_per_s: out,
    latency_p50_s: quantile(deltas, 0.5),
    latency_p99_s: quantile(deltas, 0.99),
  };
}

/** The q-quantile of cumulative bucket counts; null when empty; the last finite bound past it. */
export function quantile(buckets: readonly { le: number; count: number }[], q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lowerBound;
      if (count === lowerCount) return le;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = Number.isFinite(le) ? le : lowerBound;
    lowerCount = count;
  }
  return lowerBound;
}
