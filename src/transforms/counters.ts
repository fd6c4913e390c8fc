/**
 * Counted outcomes of transforms (a line that was not CRI, JSON kept as text, a partial line flushed, a value
 * masked…). Transforms stay pure: they report through this injected interface, which the worker backs with
 * prom-client (`metrics.ts`) and tests back with a map.
 * @module
 */

/** The counters of one transform in one connector. */
export interface TransformCounters {
  /**
   * Adds `count` (default 1) to this transform's counter for `outcome`. Outcomes are a small fixed set per
   * transform type (see docs/transforms.md), or names the user configured (mask patterns, route rules).
   */
  add(outcome: string, count?: number): void;
}

/** Counters that count nothing, for transforms used outside a worker. */
export const NO_COUNTERS: TransformCounters = {
  add: () => undefined,
};

/** Counters kept in memory: for tests and benchmarks. */
export class MemoryCounters implements TransformCounters {
  readonly #counts = new Map<string, number>();

  add(outcome: string, count = 1): void {
    this.#counts.set(outcome, (this.#counts.get(outcome) ?? 0) + count);
  }

  /** @returns the count of `outcome` (0 when never counted). */
  get(outcome: string): number {
    return this.#counts.get(outcome) ?? 0;
  }

  /** @returns every outcome counted so far. */
  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#counts);
  }
}
