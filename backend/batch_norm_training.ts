/**
 * Batch normalization in training mode as one op with one gradient, for backends that register
 * the fused kernels (the native backend does).
 *
 * tfjs-layers builds training-mode batch norm from `tf.moments` and `tf.batchNorm`, and its
 * gradient flows back through both: about 20 full-size element-wise kernels per layer, each a
 * separate single-threaded pass with a fresh output array. Profiling a deotte training step on
 * the native backend put those element-wise kernels at about half the step's time. The fused op
 * makes two passes forward (per-channel sums, then the output) and two backward (per-channel sums
 * of dy and dy·x̂, then dx) with the closed-form gradient
 *
 *   dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Kernel: inputs x (channels last), scale, offset; attr varianceEpsilon → [y, mean, variance]. */
export const BATCH_NORM_TRAINING = "DigitsBatchNormTraining";
/** Kernel: inputs dy, x, mean, variance, scale; attr varianceEpsilon → [dx, dScale, dOffset]. */
export const BATCH_NORM_TRAINING_GRAD = "DigitsBatchNormTrainingGrad";

let gradientRegistered = false;

/** Whether the active backend has the fused kernels (otherwise use tfjs's own composition). */
export function hasBatchNormTraining(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAINING_GRAD, tf.getBackend()) !== undefined;
}

/**
 * Normalizes `x` over every axis but the last with the batch's own statistics, then scales and
 * shifts per channel. Returns the output and the batch mean and (biased) variance, which the
 * caller folds into its moving averages. Differentiable with respect to x, scale and offset.
 *
 * @example
 * ```ts
 * if (hasBatchNormTraining()) {
 *   const [y, mean, variance] = batchNormTraining(x, gamma, beta, 1e-3);
 * }
 * ```
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  varianceEpsilon: number,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  if (!gradientRegistered) {
    tf.registerGradient({
      kernelName: BATCH_NORM_TRAINING,
      inputsToSave: ["x", "scale"],
      outputsToSave: [false, true, true],
      gradFunc: (dys, saved, attrs) => {
        // Only y's gradient matters: the mean and variance feed the moving averages, not the loss.
        const dy = Array.isArray(dys) ? dys[0]! : dys;
        const [x, scale, mean, variance] = saved as tf.Tensor[];
        const [dx, dScale, dOffset] = tf.engine().runKernel(
          BATCH_NORM_TRAINING_GRAD,
          { dy, x: x!, mean: mean!, variance: variance!, scale: scale! },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
        return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
      },
    });
    gradientRegistered = true;
  }
  return tf.engine().runKernel(
    BATCH_NORM_TRAINING,
    { x, scale, offset },
    { varianceEpsilon },
  ) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}
