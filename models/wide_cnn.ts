import * as tf from "@tensorflow/tfjs";
import { conv2d } from "./conv2d.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { ModelConfig } from "./model_config.ts";
import { _LayerSeeds, _requireInputSize } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `wide-cnn` (seed notebook 001): Conv 256 → 512 → 1024 (3×3, "same", no bias), each followed by
 * BatchNorm and ReLU, 2×2 max-pooling after the first two; a Dense 128 applied at every position
 * (a 1×1 convolution), Flatten, softmax. About 6 million parameters: slow on a CPU.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createWideCnn } from "./wide_cnn.ts";
 * const model = createWideCnn({ inputShape: [8, 8, 1], numClasses: 10 });
 * assert.ok(model.outputs[0]!.shape[1] === 10);
 * model.dispose();
 * ```
 */
export function createWideCnn(config: ModelConfig): tf.Sequential {
  _requireInputSize("wide-cnn", config.inputShape, 4);
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "wide_cnn" });
  [256, 512, 1024].forEach((filters, i) => {
    model.add(conv2d({
      ...(i === 0 ? { inputShape: config.inputShape } : {}),
      filters,
      kernelSize: 3,
      padding: "same",
      useBias: false,
      kernelInitializer: seeds.heNormal(),
    }));
    model.add(batchNormalization());
    model.add(tf.layers.activation({ activation: "relu" }));
    if (i < 2) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  // A Dense layer on a 4-D tensor acts on the last axis: one Dense 128 per spatial position.
  model.add(
    tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: seeds.heNormal() }),
  );
  model.add(tf.layers.flatten());
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
