import * as tf from "@tensorflow/tfjs";

/**
 * The ensemble's answer: the mean of every model's softmax output over every input view (one
 * view, or the test-time augmentation views), each view predicted in one call. Call it inside
 * `tf.tidy`; `predict/predictor.ts` and the server's `create_model_predictor.ts` share it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { meanSoftmax } from "./mean_softmax.ts";
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.softmax()] });
 * const probs = tf.tidy(() => meanSoftmax([model, model], [tf.tensor4d([0, Math.log(3)], [1, 1, 2, 1])]));
 * assert.deepEqual([...(await probs.data())].map((p) => p.toFixed(2)), ["0.25", "0.75"]);
 * probs.dispose();
 * ```
 */
export function meanSoftmax(
  models: readonly tf.LayersModel[],
  views: readonly tf.Tensor4D[],
): tf.Tensor {
  let sum: tf.Tensor | undefined;
  for (const view of views) {
    for (const model of models) {
      const out = model.predict(view, { batchSize: view.shape[0] }) as tf.Tensor;
      sum = sum === undefined ? out : tf.add(sum, out);
    }
  }
  if (sum === undefined) throw new RangeError("meanSoftmax needs at least one model and one view");
  return tf.div(sum, views.length * models.length);
}
