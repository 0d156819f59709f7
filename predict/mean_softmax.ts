import * as tf from "@tensorflow/tfjs";
import { forwardInference } from "../models/forward_inference.ts";

/**
 * A probability of 0 (an underflow) is read as this before the log, so log p stays finite on
 * every backend (some flush float32 subnormals to zero, so the smallest normal-range value that
 * still leaves room is used, not the subnormal `MIN_PROBABILITY` of common/apply_temperature.ts).
 */
const FLOOR = 1e-30;

/**
 * The ensemble's answer: the mean of every model's softmax output over every input view (one
 * view, or the test-time augmentation views), each view predicted in one call
 * ({@linkcode forwardInference}). With
 * `temperatures` (one per model), each model's output of each view is first calibrated,
 * `softmax(log p / T)` (what common/apply_temperature.ts computes on arrays), and then averaged; a
 * temperature of 1 leaves that model's output as it is. Call it inside `tf.tidy`;
 * `predict/predictor.ts` and the server's `create_model_predictor.ts` share it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { meanSoftmax } from "./mean_softmax.ts";
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.softmax()] });
 * const x = tf.tensor4d([0, Math.log(3)], [1, 1, 2, 1]);
 * const probs = tf.tidy(() => meanSoftmax([model, model], [x]));
 * assert.deepEqual([...(await probs.data())].map((p) => p.toFixed(2)), ["0.25", "0.75"]);
 * // T = 2 softens 1:3 into 1:√3.
 * const soft = tf.tidy(() => meanSoftmax([model], [x], [2]));
 * assert.deepEqual([...(await soft.data())].map((p) => p.toFixed(3)), ["0.366", "0.634"]);
 * tf.dispose([probs, soft, x]);
 * ```
 */
export function meanSoftmax(
  models: readonly tf.LayersModel[],
  views: readonly tf.Tensor4D[],
  temperatures?: readonly number[],
): tf.Tensor {
  if (temperatures !== undefined && temperatures.length !== models.length) {
    throw new RangeError(
      `meanSoftmax got ${temperatures.length} temperatures for ${models.length} models`,
    );
  }
  let sum: tf.Tensor | undefined;
  for (const view of views) {
    models.forEach((model, i) => {
      const raw = forwardInference(model, view);
      const out = _calibrate(raw, temperatures?.[i] ?? 1);
      sum = sum === undefined ? out : tf.add(sum, out);
    });
  }
  if (sum === undefined) throw new RangeError("meanSoftmax needs at least one model and one view");
  return tf.div(sum, views.length * models.length);
}

/** `softmax(log p / T)` per row; `p` itself for T = 1 (old runs give the same bits as before). */
function _calibrate(probs: tf.Tensor, temperature: number): tf.Tensor {
  if (temperature === 1) return probs;
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new RangeError(`a calibration temperature must be a positive number, got ${temperature}`);
  }
  return tf.softmax(tf.div(tf.log(tf.maximum(probs, FLOOR)), temperature));
}
