import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./model_config.ts";
import { _LayerSeeds } from "./_layer_seeds.ts";
import { _softmaxOutput } from "./_softmax_output.ts";

/**
 * `logreg`: softmax regression on the raw pixels (Flatten, one Dense softmax layer). The baseline
 * every other model must beat (about 92% on MNIST).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createLogreg } from "./logreg.ts";
 * const model = createLogreg({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.countParams() === 7850);
 * model.dispose();
 * ```
 */
export function createLogreg(config: ModelConfig): tf.Sequential {
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "logreg" });
  model.add(tf.layers.flatten({ inputShape: config.inputShape }));
  model.add(_softmaxOutput(config.numClasses, seeds.glorotUniform()));
  return model;
}
