import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _sameReluConv } from "./_same_relu_conv.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `compact-cnn` (the default for MNIST-sized inputs; not from a seed notebook): three blocks of
 * Conv 3×3 "same" ReLU + 2×2 MaxPool + BatchNorm with 16, 32 and 64 filters, then Dense 128
 * ReLU, softmax: tiny-cnn's cost (about 2 M multiply-adds per image) with BatchNorm in place of
 * its Dropout layers, so it learns in few epochs, and with no Dropout at all a `--seed`
 * reproduces a run exactly (augmentation and shuffles are seeded too). Chosen for accuracy per CPU
 * second: stride-1 3×3 convolutions are the fastest kind on the wasm backend (measured: doubling
 * the widths made a step 7× slower), and BatchNorm with momentum 0.9 (tfjs defaults to 0.99)
 * makes even a one-epoch run evaluate well.
 * Three poolings need at least 8×8 inputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createCompactCnn } from "./compact_cnn.ts";
 * const model = createCompactCnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createCompactCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("compact-cnn", config.inputShape, 8);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "compact_cnn" });
  [16, 32, 64].forEach((filters, i) => {
    model.add(
      _sameReluConv(filters, 3, seeds.heNormal(), i === 0 ? config.inputShape : undefined),
    );
    // Pool before BatchNorm: the normalisation then runs on a 4× smaller tensor.
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(batchNormalization({ momentum: 0.9 }));
  });
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: seeds.heNormal() }),
  );
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
