/** Test helper: seeded random weights for any model. */
import * as tf from "@tensorflow/tfjs";

/**
 * Replaces every weight of `model` by seeded values in [-scale, scale] (moving variances made
 * positive), so batch norm statistics and biases count in a comparison.
 */
export function randomizeWeights(model: tf.LayersModel, seed: number, scale = 0.5): void {
  const weights = model.weights.map((w, i) => {
    const values = tf.randomUniform(w.shape as number[], -scale, scale, "float32", seed + i);
    if (!/moving_variance/.test(w.name)) return values;
    return tf.tidy(() => values.abs().add(0.5));
  });
  model.setWeights(weights);
  tf.dispose(weights);
}
