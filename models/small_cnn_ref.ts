import * as tf from "@tensorflow/tfjs";
import { conv2d } from "./conv2d.ts";
import type { ModelConfig } from "./model_config.ts";

/**
 * `small-cnn-ref`: the reference CNN for the PyTorch comparison (5.3 MFLOP forward per
 * 28×28 image), layer for layer the same as `bench/torch_*.py`: Conv 32 3×3 ReLU, MaxPool 2,
 * Conv 64 3×3 ReLU, MaxPool 2, Dense 128 ReLU, softmax. "valid" padding, tfjs's default
 * initialisers (the seed is not used). The benchmarks build it from here.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createSmallCnnRef } from "./small_cnn_ref.ts";
 * const model = createSmallCnnRef({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
 * assert.equal(model.countParams(), 225034);
 * model.dispose();
 * ```
 */
export function createSmallCnnRef(config: ModelConfig): tf.Sequential {
  const model = tf.sequential({ name: "small_cnn_ref" });
  model.add(conv2d({
    inputShape: config.inputShape,
    filters: 32,
    kernelSize: 3,
    activation: "relu",
  }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv2d({ filters: 64, kernelSize: 3, activation: "relu" }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: "relu" }));
  model.add(tf.layers.dense({ units: config.numClasses, activation: "softmax" }));
  return model;
}
