import * as tf from "@tensorflow/tfjs";
import { dropout } from "./dropout.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `digits8-cnn`, for 8×8 digits and other small glyphs: Conv 32, Conv 32 (3×3 "same", ReLU,
 * BatchNorm), 2×2 MaxPool, Dropout 0.25, Conv 64 (ReLU, BatchNorm), 2×2 MaxPool, Dropout 0.25,
 * Dense 128 ReLU, Dropout 0.5, softmax. Two poolings (not tiny-cnn's three) keep a 2×2 map of an
 * 8×8 input; BatchNorm lets a small set train in few steps, Dropout keeps it from memorising.
 * Two poolings need at least 4×4 inputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDigits8Cnn } from "./digits8_cnn.ts";
 * const model = createDigits8Cnn({ inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
 * model.dispose();
 * ```
 */
export function createDigits8Cnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("digits8-cnn", config.inputShape, 4);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "digits8_cnn" });
  model.add(_sameReluConv(32, 3, seeds.heNormal(), config.inputShape));
  model.add(batchNormalization({ momentum: 0.9 }));
  model.add(_sameReluConv(32, 3, seeds.heNormal()));
  model.add(batchNormalization({ momentum: 0.9 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(dropout({ rate: 0.25 }, seeds.dropoutMask()));
  model.add(_sameReluConv(64, 3, seeds.heNormal()));
  model.add(batchNormalization({ momentum: 0.9 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(dropout({ rate: 0.25 }, seeds.dropoutMask()));
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: seeds.heNormal() }),
  );
  model.add(dropout({ rate: 0.5 }, seeds.dropoutMask()));
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
