/**
 * Printing the end-to-end benchmark: one line per run as it ends, then the medians per profile.
 * @module
 */
import type { Profile } from './profiles.ts';
import type { LatencyFigures, ThroughputFigures } from './runs.ts';

/** One profile's run in one round. */
export interface RunResult {
  readonly profile: Profile;
  readonly round: number;
  readonly throughput?: ThroughputFigures;
  readonly latency?: LatencyFigures;
  /** Why the run yields no figure. */
  readonly failure?: string;
}

const MiB = 1024 * 1024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (share: number): string => `${Math.round(share * 100)} %`;

/** The line printed when a run ends. */
export function runLine(result: RunResult): string {
  const head = `${result.profile.padEnd(6)} round ${String(result.round)}`;
  if (result.failure !== undefined) return `${head}: NOT VERIFIED, no figure (${result.failure})`;
  const t = result.throughput;
  const parts: string[] = [];
  if (t !== undefined) {
    parts.push(
      `${int(t.eventsPerSecond)} events/s`,
      `${int(t.events / t.window.cpuSeconds)} events/CPU-s`,
      `${(t.window.cpuSeconds / (t.events / 1e5)).toFixed(2)} CPU-s/100k`,
      `${t.window.cores.toFixed(2)} cores`,
      `peak RSS ${(t.peakRssBytes / MiB).toFixed(0)} MiB${t.window.processes > 1 ? ` (largest of ${String(t.window.processes)} processes)` : ''}`,
      `main idle ${pct(t.window.mainIdle)}`,
      `dup ${String(t.duplicates)}`,
      `receiver ${t.receiverCores.toFixed(2)} cores, peers ${t.peersCores.toFixed(2)}`,
      `load ${t.loadavg}`,
    );
  }
  const l = result.latency;
  if (l !== undefined) {
    parts.push(
      `latency at ${int(l.rate)}/s: p50 ${String(l.latency.p50Ms)} ms, p99 ${String(l.latency.p99Ms)} ms`,
    );
    parts.push(`(max ${String(l.latency.maxMs)}, load ${l.loadavg})`);
  }
  return `${head}: ${parts.join(', ')}`;
}

/** The medians table, Markdown, one row per profile (runs without figures are left out and counted). */
export function mediansTable(results: readonly RunResult[], profiles: readonly Profile[]): string {
  const rows = [
    '| profile | runs | events/s | events per CPU-s | CPU-s per 100k | cores | peak RSS | main idle | p50 / p99 at half load | receiver cores | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const profile of profiles) {
    const runs = results.filter((r) => r.profile === profile);
    const ok = runs.filter((r) => r.failure === undefined && r.throughput !== undefined);
    const t = ok.map((r) => r.throughput).filter((x) => x !== undefined);
    const l = ok.map((r) => r.latency).filter((x) => x !== undefined);
    if (t.length === 0) {
      rows.push(`| ${profile} | 0 of ${String(runs.length)} verified | | | | | | | | | |`);
      continue;
    }
    const m = (f: (x: ThroughputFigures) => number): number => median(t.map(f));
    const latency =
      l.length === 0
        ? '–'
        : `${int(median(l.map((x) => x.latency.p50Ms)))} / ${int(median(l.map((x) => x.latency.p99Ms)))} ms at ${int(median(l.map((x) => x.rate)))}/s`;
    rows.push(
      [
        profile,
        `${String(t.length)} of ${String(runs.length)}`,
        int(m((x) => x.eventsPerSecond)),
        int(m((x) => x.events / x.window.cpuSeconds)),
        m((x) => x.window.cpuSeconds / (x.events / 1e5)).toFixed(2),
        m((x) => x.window.cores).toFixed(2),
        `${(m((x) => x.peakRssBytes) / MiB).toFixed(0)} MiB`,
        pct(m((x) => x.window.mainIdle)),
        latency,
        m((x) => x.receiverCores).toFixed(2),
        t.map((x) => x.loadavg.split(' ')[0]).join(', '),
      ]
        .join(' | ')
        .replace(/^/, '| ') + ' |',
    );
  }
  return rows.join('\n');
}
