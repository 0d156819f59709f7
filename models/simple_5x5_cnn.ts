import * as tf from "@tensorflow/tfjs";
import { conv2d } from "./conv2d.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";

/** Filters of the five 5×5 convolutions (arXiv 2008.10400, model M5). */
export const SIMPLE_5X5_FILTERS: readonly number[] = [32, 64, 96, 128, 160];

/**
 * `simple-5x5`, the M5 model of "An Ensemble of Simple Convolutional Neural Network Models for
 * MNIST Digit Recognition" (arXiv 2008.10400): five 5×5 "valid" convolutions of 32, 64, 96, 128
 * and 160 channels with no padding or pooling, each followed by BatchNorm and ReLU, then Flatten,
 * Dense 10 with BatchNorm, softmax. As in the paper the convolutions and the dense layer have no
 * bias (the BatchNorm after each has one). 28×28 ends at 8×8×160; five 5×5 convolutions need at
 * least 21×21 inputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSimple5x5Cnn } from "./simple_5x5_cnn.ts";
 * const model = createSimple5x5Cnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
 * model.dispose();
 * ```
 */
export function createSimple5x5Cnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("simple-5x5", config.inputShape, 1 + 4 * SIMPLE_5X5_FILTERS.length);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "simple_5x5" });
  SIMPLE_5X5_FILTERS.forEach((filters, i) => {
    model.add(conv2d({
      ...(i === 0 ? { inputShape: config.inputShape } : {}),
      filters,
      kernelSize: 5,
      padding: "valid",
      useBias: false,
      kernelInitializer: seeds.heNormal(),
    }));
    model.add(batchNormalization());
    model.add(tf.layers.reLU());
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({
    units: config.numClasses,
    useBias: false,
    kernelInitializer: seeds.glorotUniform(),
  }));
  model.add(batchNormalization());
  model.add(tf.layers.activation({ activation: "softmax" }));
  return model;
}
