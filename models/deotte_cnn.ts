import * as tf from "@tensorflow/tfjs";
import { dropout } from "./dropout.ts";
import { conv2d } from "./conv2d.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `deotte` (Chris Deotte's Kaggle kernel, 0.99757 as a 15-model ensemble):
 * 32C3-BN-32C3-BN-32C5S2-BN-Drop0.4, 64C3-BN-64C3-BN-64C5S2-BN-Drop0.4, 128C4-BN, Flatten,
 * Drop0.4, softmax. The 3×3 and 4×4 convolutions are "valid", so it needs at least 25×25 inputs
 * (28×28 ends at 1×1×128).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createDeotteCnn } from "./deotte_cnn.ts";
 * const model = createDeotteCnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createDeotteCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("deotte", config.inputShape, 25);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "deotte" });
  const convBn = (filters: number, kernelSize: number, strides = 1, first = false) => {
    model.add(conv2d({
      ...(first ? { inputShape: config.inputShape } : {}),
      filters,
      kernelSize,
      strides,
      padding: strides === 1 ? "valid" : "same",
      activation: "relu",
      kernelInitializer: seeds.glorotUniform(),
    }));
    model.add(batchNormalization());
  };
  convBn(32, 3, 1, true);
  convBn(32, 3);
  convBn(32, 5, 2);
  model.add(dropout({ rate: 0.4 }, seeds.dropoutMask()));
  convBn(64, 3);
  convBn(64, 3);
  convBn(64, 5, 2);
  model.add(dropout({ rate: 0.4 }, seeds.dropoutMask()));
  convBn(128, 4);
  model.add(tf.layers.flatten());
  model.add(dropout({ rate: 0.4 }, seeds.dropoutMask()));
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
