import * as tf from "@tensorflow/tfjs";
import type { Batch } from "../pipeline/types.ts";

/**
 * A pipeline {@link Batch} as the model's tensors: `x` NHWC float32 `[size, height, width, 1]` and
 * `y` the one-hot labels `[size, numClasses]`. The caller disposes both (or calls this inside
 * `tf.tidy`).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { batchTensors } from "./batch_tensors.ts";
 * const batch = { x: new Float32Array(8), y: Int32Array.of(1, 0), size: 2, height: 2, width: 2 };
 * const { x, y } = batchTensors(batch, 3);
 * assert.deepEqual(x.shape, [2, 2, 2, 1]);
 * assert.deepEqual(await y.array(), [[0, 1, 0], [1, 0, 0]]);
 * tf.dispose([x, y]);
 * ```
 */
export function batchTensors(batch: Batch, numClasses: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.tensor4d(batch.x, [batch.size, batch.height, batch.width, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, "int32"), numClasses) as tf.Tensor2D);
  return { x, y };
}
