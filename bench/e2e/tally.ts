/**
 * What a receiver of the end-to-end benchmark counts: distinct Kafka coordinates (so a count is verified, not
 * assumed: a duplicate or a stray event never makes up for a lost one), duplicates, and a latency histogram.
 * @module
 */

/** Counts distinct offsets per partition of one topic. */
export class Tally {
  readonly topic: string;
  readonly expected: number;
  #seen: Uint8Array[] = [];
  distinct = 0;
  duplicates = 0;
  /** Events of another topic, or with coordinates that could not be read. */
  foreign = 0;
  firstAtMs: number | undefined;
  /** When the last expected event arrived (the count reached `expected`). */
  doneAtMs: number | undefined;
  readonly #latency = new LatencyHistogram();

  constructor(topic: string, expected: number) {
    this.topic = topic;
    this.expected = expected;
  }

  /** Records one event; `latencyMs` when the event carries its record time. @returns true when it completed the tally. */
  add(partition: number, offset: number, nowMs: number, latencyMs?: number): boolean {
    if (!(partition >= 0 && offset >= 0)) {
      this.foreign += 1;
      return false;
    }
    this.firstAtMs ??= nowMs;
    let bits = this.#seen[partition];
    if (bits === undefined || offset >> 3 >= bits.length) bits = this.#grow(partition, offset);
    const mask = 1 << (offset & 7);
    const byte = bits[offset >> 3] ?? 0;
    if ((byte & mask) !== 0) {
      this.duplicates += 1;
      return false;
    }
    bits[offset >> 3] = byte | mask;
    this.distinct += 1;
    if (latencyMs !== undefined) this.#latency.add(latencyMs);
    if (this.distinct === this.expected) {
      this.doneAtMs = nowMs;
      return true;
    }
    return false;
  }

  /** Forgets the latencies counted so far (after a warm-up). */
  resetLatency(): void {
    this.#latency.clear();
  }

  latency(): LatencySummary {
    return this.#latency.summary();
  }

  #grow(partition: number, offset: number): Uint8Array {
    const old = this.#seen[partition] ?? new Uint8Array(0);
    const bits = new Uint8Array(Math.max((offset >> 3) + 1, old.length * 2, 4096));
    bits.set(old);
    this.#seen[partition] = bits;
    return bits;
  }
}

/** Latency percentiles, ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Millisecond buckets up to ten minutes. */
class LatencyHistogram {
  #buckets = new Uint32Array(600_001);
  #count = 0;
  #max = 0;

  add(ms: number): void {
    const bucket = Math.min(this.#buckets.length - 1, Math.max(0, Math.round(ms)));
    this.#buckets[bucket] = (this.#buckets[bucket] ?? 0) + 1;
    this.#count += 1;
    this.#max = Math.max(this.#max, bucket);
  }

  clear(): void {
    this.#buckets.fill(0);
    this.#count = 0;
    this.#max = 0;
  }

  summary(): LatencySummary {
    return { count: this.#count, p50Ms: this.#quantile(0.5), p99Ms: this.#quantile(0.99), maxMs: this.#max };
  }

  #quantile(q: number): number {
    const rank = Math.ceil(q * this.#count);
    let seen = 0;
    for (let ms = 0; ms < this.#buckets.length; ms += 1) {
      seen += this.#buckets[ms] ?? 0;
      if (seen >= rank && rank > 0) return ms;
    }
    return 0;
  }
}
