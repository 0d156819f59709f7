import * as tf from "@tensorflow/tfjs";
import { l2 } from "./l2_regularizer.ts";
import { dropout } from "./dropout.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `kaggle-cnn` (seed notebook 000): Conv 64 5×5 + MaxPool + BatchNorm; Conv 128 3×3 ×2 + MaxPool +
 * BatchNorm; Conv 256 3×3 ×2 + MaxPool + BatchNorm; Dense 512 ELU (L2), Dropout 0.2, Dense 512 ELU
 * (L2), Dropout 0.2, Dense 256 ELU, softmax. He-normal initialisation, "same" convolutions, so three
 * 2×2 poolings need at least 8×8 inputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createKaggleCnn } from "./kaggle_cnn.ts";
 * const model = createKaggleCnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createKaggleCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("kaggle-cnn", config.inputShape, 8);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "kaggle_cnn" });
  model.add(_sameReluConv(64, 5, seeds.heNormal(), config.inputShape));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(batchNormalization());
  model.add(_sameReluConv(128, 3, seeds.heNormal()));
  model.add(_sameReluConv(128, 3, seeds.heNormal()));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(batchNormalization());
  model.add(_sameReluConv(256, 3, seeds.heNormal()));
  model.add(_sameReluConv(256, 3, seeds.heNormal()));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(batchNormalization());
  model.add(tf.layers.flatten());
  for (const units of [512, 512]) {
    model.add(tf.layers.dense({
      units,
      activation: "elu",
      kernelInitializer: seeds.heNormal(),
      kernelRegularizer: l2({ l2: 1e-4 }),
    }));
    model.add(dropout({ rate: 0.2 }, seeds.dropoutMask()));
  }
  model.add(
    tf.layers.dense({ units: 256, activation: "elu", kernelInitializer: seeds.heNormal() }),
  );
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
