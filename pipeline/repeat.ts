/**
 * Repeats a source `count` times (like `tf.data.Dataset.repeat`), calling `open(epoch)` for each
 * pass so each epoch can have its own shuffle order. `count` `Infinity` repeats forever (stop it
 * with `TakeStream` or by cancelling).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { repeat } from "./repeat.ts";
 * const out = await Array.fromAsync(repeat((epoch) => ReadableStream.from([epoch, epoch]), 3));
 * assert.ok(out.join() === "0,0,1,1,2,2");
 * ```
 */
export function repeat<T>(
  open: (epoch: number) => ReadableStream<T>,
  count: number,
): ReadableStream<T> {
  if (!(count === Infinity || (Number.isInteger(count) && count >= 0))) {
    throw new RangeError(`repeat count must be a non-negative integer or Infinity, got ${count}`);
  }
  let epoch = 0;
  let reader: ReadableStreamDefaultReader<T> | null = null;
  return new ReadableStream<T>({
    async pull(controller) {
      while (epoch < count) {
        reader ??= open(epoch).getReader();
        const result = await reader.read();
        if (!result.done) {
          controller.enqueue(result.value);
          return;
        }
        reader = null;
        epoch++;
      }
      controller.close();
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 1 });
}
