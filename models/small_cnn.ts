import * as tf from "@tensorflow/tfjs";
import { l2 } from "./l2_regularizer.ts";
import { dropout } from "./dropout.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `small-cnn` (seed notebook 003): Conv 32 3×3 + BatchNorm + MaxPool; Conv 64 5×5 + BatchNorm;
 * Conv 64 3×3 + BatchNorm + MaxPool; Dense 128 and Dense 64 (L2 0.01, Dropout 0.5 each); Dense 32;
 * softmax. Convolutions use "same" padding so 8×8 inputs work too.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createSmallCnn } from "./small_cnn.ts";
 * const model = createSmallCnn({ inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createSmallCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("small-cnn", config.inputShape, 4);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "small_cnn" });
  model.add(_sameReluConv(32, 3, seeds.heNormal(), config.inputShape));
  model.add(batchNormalization());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(_sameReluConv(64, 5, seeds.heNormal()));
  model.add(batchNormalization());
  model.add(_sameReluConv(64, 3, seeds.heNormal()));
  model.add(batchNormalization());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  for (const units of [128, 64]) {
    model.add(tf.layers.dense({
      units,
      activation: "relu",
      kernelInitializer: seeds.heNormal(),
      kernelRegularizer: l2({ l2: 0.01 }),
    }));
    model.add(dropout({ rate: 0.5 }, seeds.dropoutMask()));
  }
  model.add(
    tf.layers.dense({ units: 32, activation: "relu", kernelInitializer: seeds.heNormal() }),
  );
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
