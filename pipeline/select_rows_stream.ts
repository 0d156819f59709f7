/**
 * Stage 7: keeps records by their row index in the stream: row `i` comes out `counts[i]` times
 * (0 drops it; rows past the end of `counts` are dropped). A seeded train/validation split, a
 * k-fold fold or a bagging sample is a `counts` array over the cached rows, so every split reads
 * the same chain and keeps the input order.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { SelectRowsStream } from "./select_rows_stream.ts";
 * const out = await Array.fromAsync(
 *   ReadableStream.from(["a", "b", "c", "d"]).pipeThrough(new SelectRowsStream(Uint8Array.of(1, 0, 2, 0))),
 * );
 * assert.deepEqual(out, ["a", "c", "c"]);
 * ```
 */
export class SelectRowsStream<T> extends TransformStream<T, T> {
  constructor(counts: Uint8Array) {
    let index = 0;
    super({
      transform(item, controller) {
        const count = counts[index++] ?? 0;
        for (let i = 0; i < count; i++) controller.enqueue(item);
      },
    });
  }
}
