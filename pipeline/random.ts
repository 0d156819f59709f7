/**
 * A small seeded pseudo-random generator (mulberry32) for everything in the project that must be
 * reproducible: file order, shuffle buffers, augmentation parameters, data splits, weight seeds.
 * `Math.random()` is never used where a seed is promised.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { Random } from "./random.ts";
 * const a = new Random(42), b = new Random(42);
 * assert.ok(a.next() === b.next());
 * assert.ok(new Random(Random.derive(42, 1)).next() !== new Random(42).next());
 * ```
 */
export class Random {
  #state: number;

  /** Starts a generator from an integer seed (any number; it is folded to 32 bits). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TypeError(`a seed must be a finite number, got ${seed}`);
    this.#state = Math.trunc(seed) >>> 0;
  }

  /** Mixes a base seed with extra integers (an epoch, a worker index) into a new 32-bit seed. */
  static derive(seed: number, ...salts: number[]): number {
    let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    for (const salt of salts) {
      h = Math.imul(h ^ (Math.trunc(salt) >>> 0), 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      h = Math.imul(h, 0xc2b2ae35) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
    }
    return h;
  }

  /** The next float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float uniformly drawn from [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer uniformly drawn from 0..n-1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}
