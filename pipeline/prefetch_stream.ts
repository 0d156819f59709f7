/**
 * Stage 9 (in-thread): keeps up to `bufferSize` records read ahead of the consumer, so the
 * producer's I/O and parsing overlap the consumer's awaits. For parallelism on another core,
 * training runs the whole chain in a Worker (train/worker_training_feed.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { PrefetchStream } from "./prefetch_stream.ts";
 * const out = await Array.fromAsync(ReadableStream.from([1, 2, 3]).pipeThrough(new PrefetchStream(2)));
 * assert.ok(out.join() === "1,2,3");
 * ```
 */
export class PrefetchStream<T> extends TransformStream<T, T> {
  constructor(bufferSize: number) {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new RangeError(`prefetch buffer size must be a positive integer, got ${bufferSize}`);
    }
    super(
      { transform: (item, controller) => controller.enqueue(item) },
      new CountQueuingStrategy({ highWaterMark: bufferSize }),
      new CountQueuingStrategy({ highWaterMark: bufferSize }),
    );
  }
}
