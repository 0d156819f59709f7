import { Random } from "./random.ts";

/**
 * The buffer behind `tf.data`'s `shuffle(bufferSize)`: `push` stores an item and, once the buffer
 * is full, returns a random stored item in exchange; `drain` empties it in random order. Shared by
 * {@link ShuffleStream} (and tests), so both give the same order for a seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ShuffleBuffer } from "./shuffle_buffer.ts";
 * const buffer = new ShuffleBuffer<number>(3, 7);
 * const out = [1, 2, 3, 4, 5].map((x) => buffer.push(x)).filter((x) => x !== undefined);
 * out.push(...buffer.drain());
 * assert.ok(out.length === 5 && [...out].sort().join() === "1,2,3,4,5");
 * ```
 */
export class ShuffleBuffer<T> {
  readonly size: number;
  #items: T[] = [];
  #random: Random;

  /** A buffer of `size` items (at least 1) drawing from a generator seeded with `seed`. */
  constructor(size: number, seed: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`shuffle buffer size must be a positive integer, got ${size}`);
    }
    this.size = size;
    this.#random = new Random(seed);
  }

  /** Adds `item`; when the buffer was full, returns a randomly chosen item it held. */
  push(item: T): T | undefined {
    if (this.#items.length < this.size) {
      this.#items.push(item);
      return undefined;
    }
    const j = this.#random.int(this.size);
    const out = this.#items[j]!;
    this.#items[j] = item;
    return out;
  }

  /** Removes and returns every remaining item, in random order. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    return this.#random.shuffle(items);
  }
}
