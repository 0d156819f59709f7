import * as tf from "@tensorflow/tfjs";

/**
 * The Crammer–Singer multi-class hinge loss on class scores: for each row,
 * `max(0, 1 + max_{j≠y} s_j − s_y)`, averaged over the batch. `yTrue` is one-hot (as the training
 * loop feeds it), `scores` the raw scores before any softmax (models/svm.ts's `svmScoresModel`).
 * tfjs's own "categoricalHinge" masks the true class to 0 instead of excluding it, which is wrong
 * when every other score is negative; this excludes it. Pass it to `model.compile({ loss })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { categoricalHingeLoss } from "./categorical_hinge_loss.ts";
 * const y = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
 * const s = tf.tensor2d([[2, 0.5, -1], [-3, -2, -2.5]]);
 * // row 1: 1 + 0.5 − 2 < 0 → 0; row 2: 1 + (−2.5) − (−2) = 0.5; mean 0.25
 * assert.ok(Math.abs(categoricalHingeLoss(y, s).dataSync()[0]! - 0.25) < 1e-6);
 * tf.dispose([y, s]);
 * ```
 */
export function categoricalHingeLoss(yTrue: tf.Tensor, scores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const truth = tf.sum(tf.mul(yTrue, scores), -1);
    // Push the true class far below every other score, then take the max of the rest.
    const others = tf.max(tf.sub(scores, tf.mul(yTrue, _EXCLUDE)), -1);
    return tf.mean(tf.relu(tf.add(tf.sub(others, truth), 1))) as tf.Scalar;
  });
}

/** Larger than any score difference a trained linear model reaches. */
const _EXCLUDE = 1e9;
