import * as tf from "@tensorflow/tfjs";
import { dropout } from "./dropout.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `simple-cnn` (seed notebook 002): Conv 32 5×5, Conv 32 5×5, MaxPool, Dropout 0.25; Conv 64 3×3,
 * Conv 64 3×3, MaxPool, Dropout 0.25; Dense 256 ReLU, Dropout 0.5, softmax. "Same" convolutions,
 * so any input of at least 4×4 works.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createSimpleCnn } from "./simple_cnn.ts";
 * const model = createSimpleCnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createSimpleCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("simple-cnn", config.inputShape, 4);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "simple_cnn" });
  model.add(_sameReluConv(32, 5, seeds.glorotUniform(), config.inputShape));
  model.add(_sameReluConv(32, 5, seeds.glorotUniform()));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(dropout({ rate: 0.25 }, seeds.dropoutMask()));
  model.add(_sameReluConv(64, 3, seeds.glorotUniform()));
  model.add(_sameReluConv(64, 3, seeds.glorotUniform()));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(dropout({ rate: 0.25 }, seeds.dropoutMask()));
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({ units: 256, activation: "relu", kernelInitializer: seeds.glorotUniform() }),
  );
  model.add(dropout({ rate: 0.5 }, seeds.dropoutMask()));
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
