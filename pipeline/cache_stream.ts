/**
 * Passes records through and keeps them in `records` (like `tf.data.Dataset.cache()` in memory).
 * Put it after parsing and before augmentation, so the cache holds compact `Uint8Array` images and
 * later epochs read them from memory (`toBatches(cache.records, ...)`) instead of re-parsing.
 * `complete` is true once the source ended (a cancelled read leaves a partial cache).
 *
 * @example
 * ```ts
 * import { CacheStream } from "./cache_stream.ts";
 * const cache = new CacheStream<number>();
 * await Array.fromAsync(ReadableStream.from([1, 2]).pipeThrough(cache));
 * console.assert(cache.complete && cache.records.join() === "1,2");
 * ```
 */
export class CacheStream<T> extends TransformStream<T, T> {
  /** The records seen so far. */
  readonly records: T[];
  #complete = { value: false };

  constructor() {
    const records: T[] = [];
    const complete = { value: false };
    super({
      transform(item, controller) {
        records.push(item);
        controller.enqueue(item);
      },
      flush() {
        complete.value = true;
      },
    });
    this.records = records;
    this.#complete = complete;
  }

  /** Whether the whole source went through. */
  get complete(): boolean {
    return this.#complete.value;
  }
}
