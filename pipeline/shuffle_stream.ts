import { ShuffleBuffer } from "./shuffle_buffer.ts";

/** Options of {@link ShuffleStream}. */
export interface ShuffleStreamOptions {
  /** How many records are held and drawn from (a larger buffer mixes more). */
  bufferSize: number;
  /** Seed; derive a new one per epoch (`Random.derive(seed, epoch)`) for a new order each epoch. */
  seed: number;
}

/**
 * Stage 7: shuffles records with a seeded buffer (like `tf.data.Dataset.shuffle`). Every record
 * comes out exactly once; the same seed gives the same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ShuffleStream } from "./shuffle_stream.ts";
 * const out = await Array.fromAsync(
 *   ReadableStream.from([1, 2, 3, 4, 5, 6]).pipeThrough(new ShuffleStream({ bufferSize: 4, seed: 1 })),
 * );
 * assert.ok([...out].sort().join() === "1,2,3,4,5,6");
 * ```
 */
export class ShuffleStream<T> extends TransformStream<T, T> {
  constructor(options: ShuffleStreamOptions) {
    const buffer = new ShuffleBuffer<T>(options.bufferSize, options.seed);
    super({
      transform(item, controller) {
        const out = buffer.push(item);
        if (out !== undefined) controller.enqueue(out);
      },
      flush(controller) {
        for (const item of buffer.drain()) controller.enqueue(item);
      },
    });
  }
}
