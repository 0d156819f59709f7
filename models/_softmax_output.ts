import * as tf from "@tensorflow/tfjs";

/**
 * The zoo's output layer (internal to `models/`): a dense layer of one unit per class with a
 * softmax, so every model outputs class probabilities. `init` is a seeded initialiser from
 * `_LayerSeeds`, taken by the caller so the seed order stays explicit.
 */
export function _softmaxOutput(
  numClasses: number,
  init: ReturnType<typeof tf.initializers.glorotUniform>,
): tf.layers.Layer {
  return tf.layers.dense({ units: numClasses, activation: "softmax", kernelInitializer: init });
}
