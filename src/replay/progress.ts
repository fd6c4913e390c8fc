/**
 * The replay's progress line: a bar, records done of the total, the rate over the last seconds and the time left
 * at that rate. Pure: the caller samples and prints.
 * @module
 */

/** One sample of how far a replay is. */
export interface ProgressSample {
  readonly atMs: number;
  /** Records settled (delivered, dropped or dead-lettered) or skipped as outside the window. */
  readonly done: number;
  readonly total: number;
}

/** Rate over a sliding window of samples. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #samples: ProgressSample[] = [];

  constructor(windowMs = 5000) {
    this.#windowMs = windowMs;
  }

  /** Adds a sample; returns the rate in records per second since the oldest sample kept (0 before two samples). */
  add(sample: ProgressSample): number {
    this.#samples.push(sample);
    while (this.#samples.length > 2 && sample.atMs - (this.#samples[0]?.atMs ?? 0) > this.#windowMs) {
      this.#samples.shift();
    }
    const first = this.#samples[0];
    if (first === undefined || sample.atMs <= first.atMs) return 0;
    return ((sample.done - first.done) * 1000) / (sample.atMs - first.atMs);
  }
}

const BAR_WIDTH = 24;

/** `[#########...............]  37%  3,700/10,000 records  1,234/s  ETA 5s`. */
export function progressLine(sample: ProgressSample, ratePerSecond: number): string {
  const fraction = sample.total === 0 ? 1 : Math.min(1, sample.done / sample.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const counts = `${sample.done.toLocaleString('en-US')}/${sample.total.toLocaleString('en-US')} records`;
  const rate = `${Math.round(ratePerSecond).toLocaleString('en-US')}/s`;
  const left = sample.total - sample.done;
  const eta = left <= 0 ? 'ETA 0s' : ratePerSecond > 0 ? `ETA ${duration(left / ratePerSecond)}` : 'ETA -';
  return `${bar} ${percent}  ${counts}  ${rate}  ${eta}`;
}

/** `45s`, `3m05s`, `2h04m`. */
export function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
