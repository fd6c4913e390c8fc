/**
 * Shared printing for benchmarks: one block of figures per run.
 * @module
 */

/** Figures of one benchmark run. */
export interface Figures {
  readonly records: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly cpuSeconds?: number;
  readonly peakRssBytes?: number;
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** Prints records/s, MB/s, CPU per MB and peak RSS. */
export function report(name: string, f: Figures): void {
  const lines = [
    name,
    `  records        ${f.records}`,
    `  seconds        ${f.seconds.toFixed(2)}`,
    `  records/s      ${Math.round(f.records / f.seconds)}`,
    `  MiB/s          ${(f.bytes / 1024 / 1024 / f.seconds).toFixed(1)}`,
  ];
  if (f.cpuSeconds !== undefined) {
    lines.push(
      `  cpu s          ${f.cpuSeconds.toFixed(2)} (${(f.cpuSeconds / (f.bytes / 1024 / 1024)).toFixed(4)} s/MiB)`,
    );
    lines.push(`  records/cpu-s  ${Math.round(f.records / f.cpuSeconds)}`);
  }
  if (f.peakRssBytes !== undefined) lines.push(`  peak RSS       ${mib(f.peakRssBytes)} MiB`);
  console.log(lines.join('\n'));
}

/** Samples RSS every 50 ms until stopped; returns the peak. */
export function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
