/**
 * Seeded randomness, so that a seed reproduces the same fleet and the same sequence of log lines on every run.
 * @module
 */

/** A deterministic source of random values (sfc32, seeded by a string hash). Not for cryptography. */
export class SeededRandom {
  readonly #seed: string;
  readonly #state: Uint32Array;

  /** @param seed any string or number; equal seeds give equal sequences */
  constructor(seed: string | number) {
    this.#seed = String(seed);
    this.#state = hashSeed(this.#seed);
    // The first outputs of sfc32 still show the seed's structure; discard them, as its authors advise.
    for (let i = 0; i < 15; i += 1) this.next();
  }

  /** A uniform float in [0, 1). */
  next(): number {
    const s = this.#state;
    const a = s[0] ?? 0;
    const b = s[1] ?? 0;
    const c = s[2] ?? 0;
    const d = s[3] ?? 0;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * One element, uniformly.
   * @throws RangeError when `items` is empty
   */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /**
   * One element, with probability proportional to `weightOf(element)`.
   * @throws RangeError when `items` is empty or every weight is 0
   */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0);
    let target = this.next() * total;
    for (const item of items) {
      target -= weightOf(item);
      if (target < 0) return item;
    }
    throw new RangeError('weighted() needs at least one element with a positive weight');
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(this.next() * alphabet.length)] ?? '';
    return text;
  }

  /** `length` lowercase hexadecimal digits. */
  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  /** A random (version 4 layout) UUID, e.g. for Kubernetes pod uids. */
  uuid(): string {
    const variant = this.pick(['8', '9', 'a', 'b']);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** An independent stream derived from this seed and `label`, whatever this one has produced or will produce. */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.#seed}/${label}`);
  }
}

/** cyrb128: a fast 128-bit string hash, the usual seeding companion of sfc32. */
function hashSeed(seed: string): Uint32Array {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i += 1) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return Uint32Array.from([h1 ^ h2 ^ h3 ^ h4, h2 ^ h1, h3 ^ h1, h4 ^ h1]);
}
