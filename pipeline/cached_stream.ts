/**
 * Stage 6: an in-memory cache of a record stream, like `tf.data.Dataset.cache()`. The first
 * `stream()` reads the source and keeps every record as it passes (parsed `Uint8Array` images, so
 * the cache stays compact); once a pass has reached the end, every later `stream()` replays the
 * records from memory instead of reading and parsing the files again. A pass cancelled early leaves
 * the cache incomplete, and the next `stream()` reads the source again from the start.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CachedStream } from "./cached_stream.ts";
 * let opened = 0;
 * const cache = new CachedStream(() => (opened++, ReadableStream.from([1, 2, 3])));
 * assert.deepEqual(await Array.fromAsync(cache.stream()), [1, 2, 3]);
 * assert.deepEqual(await Array.fromAsync(cache.stream()), [1, 2, 3]);
 * assert.equal(opened, 1);
 * assert.ok(cache.complete);
 * ```
 */
export class CachedStream<T> {
  #open: () => ReadableStream<T>;
  #records: T[] = [];
  #complete = false;

  /** A cache over the stream `open()` returns (called at most once per pass until complete). */
  constructor(open: () => ReadableStream<T>) {
    this.#open = open;
  }

  /** A cache already filled with `records` (rows given in memory). */
  static of<T>(records: T[]): CachedStream<T> {
    const cache = new CachedStream<T>(() => ReadableStream.from(records));
    cache.#records = records;
    cache.#complete = true;
    return cache;
  }

  /** One pass over the records: from the source the first time, from memory after that. */
  stream(): ReadableStream<T> {
    if (this.#complete) return ReadableStream.from(this.#records);
    const records: T[] = [];
    return this.#open().pipeThrough(
      new TransformStream<T, T>({
        transform: (item, controller) => {
          records.push(item);
          controller.enqueue(item);
        },
        flush: () => {
          this.#records = records;
          this.#complete = true;
        },
      }),
    );
  }

  /** The cached records (empty until a pass has completed). */
  get records(): readonly T[] {
    return this.#records;
  }

  /** Whether a pass has reached the end, so `stream()` replays from memory. */
  get complete(): boolean {
    return this.#complete;
  }
}
