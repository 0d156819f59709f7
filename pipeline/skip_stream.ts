/**
 * Drops the first `count` records and passes the rest (like `tf.data.Dataset.skip`).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { SkipStream } from "./skip_stream.ts";
 * const out = await Array.fromAsync(ReadableStream.from([1, 2, 3, 4]).pipeThrough(new SkipStream(3)));
 * assert.ok(out.join() === "4");
 * ```
 */
export class SkipStream<T> extends TransformStream<T, T> {
  constructor(count: number) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`skip count must be a non-negative integer, got ${count}`);
    }
    let seen = 0;
    super({
      transform(item, controller) {
        if (seen < count) seen++;
        else controller.enqueue(item);
      },
    });
  }
}
