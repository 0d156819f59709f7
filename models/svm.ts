import * as tf from "@tensorflow/tfjs";
import { l2 } from "./l2_regularizer.ts";
import type { ModelConfig } from "./model_config.ts";
import { _LayerSeeds } from "./_layer_seeds.ts";

/** Name of the layer whose output is the SVM's class scores (before the softmax). */
export const SVM_SCORES_LAYER = "svm_scores";

/** L2 penalty on the SVM weights (the 1/C of a soft-margin SVM, per training row). */
export const SVM_L2 = 1e-4;

/**
 * `svm`: a linear multi-class SVM (Crammer–Singer) on the pixels. Flatten, then one Dense layer
 * named {@link SVM_SCORES_LAYER} gives a score per class (with an L2 penalty on its kernel), then
 * a softmax, so the saved model is a standard layers model whose output is a distribution with the
 * scores' argmax, which predict, evaluate and serve read like any other. The hinge loss is not
 * taken on that output: train the sub-model from {@link svmScoresModel} (same layers, the scores
 * as output) with `categoricalHingeLoss` (train/categorical_hinge_loss.ts), and save this one.
 * The probabilities are a softmax of margins, so they rank classes but are not calibrated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSvm } from "./svm.ts";
 * const model = createSvm({ inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * assert.equal(model.countParams(), 650);
 * model.dispose();
 * ```
 */
export function createSvm(config: ModelConfig): tf.Sequential {
  const seeds = new _LayerSeeds(config.seed);
  const model = tf.sequential({ name: "svm" });
  model.add(tf.layers.flatten({ inputShape: config.inputShape }));
  model.add(tf.layers.dense({
    name: SVM_SCORES_LAYER,
    units: config.numClasses,
    kernelInitializer: seeds.glorotUniform(),
    kernelRegularizer: l2({ l2: SVM_L2 }),
  }));
  model.add(tf.layers.activation({ activation: "softmax" }));
  return model;
}

/**
 * The model to train an `svm` with (also after `loadRun`, for `--resume`): the same input and
 * layers as `model`, ending at the class scores. Training it trains `model`'s weights (they are
 * shared); disposing it is not needed and must not be done while `model` is in use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSvm, svmScoresModel } from "./svm.ts";
 * const model = createSvm({ inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * const scores = svmScoresModel(model);
 * assert.equal(scores.trainableWeights.length, model.trainableWeights.length);
 * model.dispose();
 * ```
 */
export function svmScoresModel(model: tf.LayersModel): tf.LayersModel {
  let layer: tf.layers.Layer;
  try {
    layer = model.getLayer(SVM_SCORES_LAYER);
  } catch {
    throw new TypeError(
      `model '${model.name}' has no layer '${SVM_SCORES_LAYER}': it is not an svm model`,
    );
  }
  return tf.model({
    name: `${model.name}_scores`,
    inputs: model.inputs,
    outputs: layer.output as tf.SymbolicTensor,
  });
}
