/**
 * The periodic summary log line of `logbridge run` (`log.summary_interval_ms`, default 30 s, 0 = off): per
 * connector, its state, records in and events out per sink over the interval and their rate, lag, in-flight
 * records, dead letters and the health of the source and each sink — what Fluent Bit, Vector and Kafka Connect
 * users expect to see in a pod's log.
 * @module
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConnectorStatus } from '../engine/index.ts';

/** What the summary reads: the worker's connectors and its metrics registry. */
export interface SummarySource {
  names(): string[];
  slot(name: string): { status(): ConnectorStatus };
  readonly registry: Registry;
}

/** Counter totals of a connector (from the registry), or their growth over an interval. */
export interface Totals {
  readonly recordsIn: number;
  readonly deadLetters: number;
  /** `sink` → delivered, rejected. */
  readonly sinks: ReadonlyMap<string, { readonly delivered: number; readonly rejected: number }>;
}

/** Logs one summary line per connector every `intervalMs`. */
export class SummaryLog {
  readonly #source: SummarySource;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #previous = new Map<string, Totals>();
  #previousAtMs = Date.now();

  constructor(source: SummarySource, logger: Logger, intervalMs: number) {
    this.#source = source;
    this.#logger = logger.child({ component: 'summary' });
    this.#intervalMs = intervalMs;
  }

  /** Starts the timer (nothing when the interval is 0). */
  start(): void {
    if (this.#intervalMs <= 0 || this.#timer !== undefined) return;
    this.#previousAtMs = Date.now();
    void this.#totals().then((totals) => {
      this.#previous = totals;
    });
    this.#timer = setInterval(() => void this.log(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Logs the lines now (the timer calls it); counts are since the previous call. */
  async log(): Promise<void> {
    const totals = await this.#totals();
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.#previousAtMs) / 1000);
    for (const name of this.#source.names()) {
      const status = this.#source.slot(name).status();
      const { fields, text } = summarise(status, since(totals.get(name), this.#previous.get(name)), seconds);
      this.#logger.info({ connector: name, ...fields }, text);
    }
    this.#previous = totals;
    this.#previousAtMs = now;
  }

  async #totals(): Promise<Map<string, Totals>> {
    const byConnector = new Map<
      string,
      { recordsIn: number; deadLetters: number; sinks: Map<string, { delivered: number; rejected: number }> }
    >();
    const entry = (connector: string) => {
      let found = byConnector.get(connector);
      if (found === undefined) {
        found = { recordsIn: 0, deadLetters: 0, sinks: new Map() };
        byConnector.set(connector, found);
      }
      return found;
    };
    for (const value of await values(this.#source.registry, 'logbridge_records_received_total')) {
      entry(String(value.labels.connector)).recordsIn += value.value;
    }
    for (const value of await values(this.#source.registry, 'logbridge_dead_letters_total')) {
      entry(String(value.labels.connector)).deadLetters += value.value;
    }
    for (const value of await values(this.#source.registry, 'logbridge_events_sent_total')) {
      const sinks = entry(String(value.labels.connector)).sinks;
      const sink = String(value.labels.sink);
      const counts = sinks.get(sink) ?? { delivered: 0, rejected: 0 };
      if (value.labels.outcome === 'delivered') counts.delivered += value.value;
      else counts.rejected += value.value;
      sinks.set(sink, counts);
    }
    return byConnector;
  }
}

async function values(
  registry: Registry,
  name: string,
): Promise<readonly { value: number; labels: Readonly<Record<string, string | number | undefined>> }[]> {
  const metric = registry.getSingleMetric(name);
  return metric === undefined ? [] : (await metric.get()).values;
}

const NONE: Totals = { recordsIn: 0, deadLetters: 0, sinks: new Map() };

/** Counts over the interval: `now` minus `before` (a counter only goes up; a new connector starts at 0). */
function since(now: Totals = NONE, before: Totals = NONE): Totals {
  const sinks = new Map<string, { delivered: number; rejected: number }>();
  for (const [sink, counts] of now.sinks) {
    const old = before.sinks.get(sink) ?? { delivered: 0, rejected: 0 };
    sinks.set(sink, {
      delivered: counts.delivered - old.delivered,
      rejected: counts.rejected - old.rejected,
    });
  }
  return {
    recordsIn: now.recordsIn - before.recordsIn,
    deadLetters: now.deadLetters - before.deadLetters,
    sinks,
  };
}

/** The structured fields of a summary line. */
export interface SummaryFields {
  readonly state: string;
  readonly degraded: boolean;
  readonly interval_s: number;
  readonly records_in: number;
  readonly records_in_per_s: number;
  readonly sinks: readonly {
    readonly id: string;
    readonly delivered: number;
    readonly delivered_per_s: number;
    readonly rejected: number;
    readonly healthy: boolean;
    readonly last_error?: string;
  }[];
  readonly lag: number | null;
  readonly in_flight: number;
  readonly budget_full: boolean;
  readonly dead_letters: number;
  readonly source_healthy?: boolean;
  readonly source_error?: string;
}

/** The line's fields and its text, e.g. `summary lab RUNNING · in 6000 (200/s) · splunk-hec 6000 out (200/s) ok …`. */
export function summarise(
  status: ConnectorStatus,
  counts: Totals,
  seconds: number,
): { fields: SummaryFields; text: string } {
  const rate = (n: number): number => Math.round((n / seconds) * 10) / 10;
  const lag =
    status.offsets.length === 0 ? undefined : status.offsets.reduce((sum, o) => sum + Number(o.lag), 0);
  const sinks = status.sinks.map((sink) => {
    const sent = counts.sinks.get(sink.id) ?? { delivered: 0, rejected: 0 };
    return {
      id: sink.id,
      delivered: sent.delivered,
      delivered_per_s: rate(sent.delivered),
      rejected: sent.rejected,
      healthy: sink.healthy,
      ...(sink.lastError === undefined || sink.healthy ? {} : { last_error: sink.lastError.code }),
    };
  });
  const source = status.source;
  const fields: SummaryFields = {
    state: status.state,
    degraded: status.degraded,
    interval_s: Math.round(seconds),
    records_in: counts.recordsIn,
    records_in_per_s: rate(counts.recordsIn),
    sinks,
    lag: lag ?? null,
    in_flight: status.inFlight.records,
    budget_full: status.inFlight.full,
    dead_letters: counts.deadLetters,
    ...(source === undefined ? {} : { source_healthy: source.healthy }),
    ...(source?.lastError === undefined || source.healthy ? {} : { source_error: source.lastError.code }),
  };
  return { fields, text: lineText(status, fields) };
}

function lineText(status: ConnectorStatus, f: SummaryFields): string {
  const health = (healthy: boolean, code: string | undefined): string =>
    healthy ? 'ok' : `unhealthy${code === undefined ? '' : ` ${code}`}`;
  const source = status.source;
  return [
    `summary ${status.name} ${status.state}${status.degraded ? ' (degraded)' : ''}`,
    `in ${f.records_in} (${f.records_in_per_s}/s)`,
    ...(source === undefined ? [] : [`${source.id} ${health(source.healthy, source.lastError?.code)}`]),
    ...f.sinks.map(
      (s) => `${s.id} ${s.delivered} out (${s.delivered_per_s}/s) ${health(s.healthy, s.last_error)}`,
    ),
    `lag ${f.lag ?? '?'}`,
    `in flight ${f.in_flight}${f.budget_full ? ' (budget full)' : ''}`,
    `dead letters ${f.dead_letters}`,
  ].join(' · ');
}
