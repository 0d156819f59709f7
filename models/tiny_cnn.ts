import * as tf from "@tensorflow/tfjs";
import { dropout } from "./dropout.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `tiny-cnn` (seed notebook 004, made for the 8×8 UCI optdigits): Conv 16, 32, 64 (3×3, "same"),
 * each followed by 2×2 MaxPool and Dropout 0.25; Dense 128, Dense 512, softmax. Three poolings need
 * at least 8×8 inputs; on 28×28 MNIST it is a fast, small baseline.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createTinyCnn } from "./tiny_cnn.ts";
 * const model = createTinyCnn({ inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createTinyCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("tiny-cnn", config.inputShape, 8);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "tiny_cnn" });
  [16, 32, 64].forEach((filters, i) => {
    model.add(
      _sameReluConv(filters, 3, seeds.heNormal(), i === 0 ? config.inputShape : undefined),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(dropout({ rate: 0.25 }, seeds.dropoutMask()));
  });
  model.add(tf.layers.flatten());
  for (const units of [128, 512]) {
    model.add(tf.layers.dense({ units, activation: "relu", kernelInitializer: seeds.heNormal() }));
  }
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
