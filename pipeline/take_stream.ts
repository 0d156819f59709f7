/**
 * Passes the first `count` records and then ends the stream, cancelling the source (like
 * `tf.data.Dataset.take`), so reading stops early.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { TakeStream } from "./take_stream.ts";
 * const out = await Array.fromAsync(ReadableStream.from([1, 2, 3, 4]).pipeThrough(new TakeStream(2)));
 * assert.ok(out.join() === "1,2");
 * ```
 */
export class TakeStream<T> extends TransformStream<T, T> {
  constructor(count: number) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`take count must be a non-negative integer, got ${count}`);
    }
    let seen = 0;
    super({
      start(controller) {
        if (count === 0) controller.terminate();
      },
      transform(item, controller) {
        controller.enqueue(item);
        if (++seen >= count) controller.terminate();
      },
    });
  }
}
