// The two charts (uPlot, served from the package by the worker): throughput and end-to-end latency.
import uPlot from './vendor/uPlot.esm.js';

const COLORS = ['#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const HEIGHT = 180;

/** @param {string} label @param {number} index */
const line = (label, index) => ({ label, stroke: COLORS[index % COLORS.length], width: 2, spanGaps: true });

/** Charts of one connector; rebuilt when the set of sinks changes. */
export class Charts {
  /** @param {HTMLElement} throughput @param {HTMLElement} latency */
  constructor(throughput, latency) {
    this.throughputBox = throughput;
    this.latencyBox = latency;
    /** @type {uPlot | undefined} */ this.throughput = undefined;
    /** @type {uPlot | undefined} */ this.latency = undefined;
    this.sinks = '';
  }

  /**
   * @param {{time: number, in_per_s: number, out_per_s: Record<string, number>,
   *   latency_p50_s: number | null, latency_p99_s: number | null}[]} points
   */
  update(points) {
    const sinks = [...new Set(points.flatMap((p) => Object.keys(p.out_per_s)))].sort();
    if (this.throughput === undefined || sinks.join(',') !== this.sinks) this.#build(sinks);
    const times = points.map((p) => p.time);
    this.throughput?.setData([
      times,
      points.map((p) => p.in_per_s),
      ...sinks.map((sink) => points.map((p) => p.out_per_s[sink] ?? null)),
    ]);
    this.latency?.setData([times, points.map((p) => p.latency_p50_s), points.map((p) => p.latency_p99_s)]);
  }

  /** @param {string[]} sinks */
  #build(sinks) {
    this.throughput?.destroy();
    this.latency?.destroy();
    this.sinks = sinks.join(',');
    const empty = [[], [], ...sinks.map(() => [])];
    const size = { width: Math.max(320, this.throughputBox.clientWidth), height: HEIGHT };
    this.throughput = new uPlot(
      { ...size, series: [{}, line('records in', 0), ...sinks.map((s, i) => line(`${s} delivered`, i + 1))] },
      empty,
      this.throughputBox,
    );
    this.latency = new uPlot(
      { ...size, series: [{}, line('p50', 0), line('p99', 2)] },
      [[], [], []],
      this.latencyBox,
    );
  }
}
