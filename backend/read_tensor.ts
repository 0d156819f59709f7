import type * as tf from "@tensorflow/tfjs";

/**
 * Reads a tensor's values without blocking. Use this instead of `dataSync()`/`arraySync()`:
 * the WebGPU backend cannot read synchronously under Deno (it throws), and on every backend the
 * async read lets other work run while the device finishes.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * const values = await readTensor(tf.tensor([1, 2, 3]));
 * console.log(values); // Float32Array [1, 2, 3]
 * ```
 */
export async function readTensor(t: tf.Tensor): Promise<tf.TypedArray> {
  return (await t.data()) as tf.TypedArray;
}
