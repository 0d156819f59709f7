/** Where a {@link CachedStream} keeps its records: an array, or a compact store (`PackedExamples`). */
export interface RecordStore<T> {
  push(item: T): void;
  readonly size: number;
  at(index: number): T;
}

/**
 * Stage 6: an in-memory cache of a record stream, like `tf.data.Dataset.cache()`. The first
 * `stream()` reads the source and keeps every record as it passes; once a pass has reached the
 * end, every later `stream()` replays the records from memory instead of reading and parsing the
 * files again. A pass cancelled early leaves the cache incomplete, and the next `stream()` reads
 * the source again from the start. Records go into the store `newStore()` makes: an array by
 * default; training caches parsed images as `Uint8Array` pages (`PackedExamples`).
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
 * assert.equal(cache.at(2), 3);
 * ```
 */
export class CachedStream<T> {
  #open: () => ReadableStream<T>;
  #newStore: () => RecordStore<T>;
  #store: RecordStore<T>;
  #complete = false;

  /** A cache over the stream `open()` returns (called once per pass until a pass completes). */
  constructor(open: () => ReadableStream<T>, newStore: () => RecordStore<T> = _arrayStore) {
    this.#open = open;
    this.#newStore = newStore;
    this.#store = newStore();
  }

  /** A cache already filled with `records` (rows given in memory). */
  static of<T>(records: readonly T[]): CachedStream<T> {
    const cache = new CachedStream<T>(() => ReadableStream.from(records));
    for (const record of records) cache.#store.push(record);
    cache.#complete = true;
    return cache;
  }

  /** One pass over the records: from the source the first time, from memory after that. */
  stream(): ReadableStream<T> {
    if (this.#complete) return this.#replay();
    const store = this.#newStore();
    return this.#open().pipeThrough(
      new TransformStream<T, T>({
        transform: (item, controller) => {
          store.push(item);
          controller.enqueue(item);
        },
        flush: () => {
          this.#store = store;
          this.#complete = true;
        },
      }),
    );
  }

  /** Number of cached records (0 until a pass has completed). */
  get size(): number {
    return this.#complete ? this.#store.size : 0;
  }

  /** Cached record `index`. */
  at(index: number): T {
    return this.#store.at(index);
  }

  /** Every cached record, in order (a new array; for rows handed on in memory). */
  toArray(): T[] {
    return Array.from({ length: this.size }, (_, i) => this.#store.at(i));
  }

  /** Whether a pass has reached the end, so `stream()` replays from memory. */
  get complete(): boolean {
    return this.#complete;
  }

  #replay(): ReadableStream<T> {
    const store = this.#store;
    let index = 0;
    return new ReadableStream<T>({
      pull(controller) {
        // Records are in memory: enqueue a run of them per pull rather than one per promise.
        while (index < store.size && (controller.desiredSize ?? 0) > 0) {
          controller.enqueue(store.at(index++));
        }
        if (index >= store.size) controller.close();
      },
    }, new CountQueuingStrategy({ highWaterMark: 64 }));
  }
}

function _arrayStore<T>(): RecordStore<T> {
  const items: T[] = [];
  return {
    push: (item) => void items.push(item),
    get size() {
      return items.length;
    },
    at: (index) => items[index]!,
  };
}
