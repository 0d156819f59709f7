/**
 * The model call behind the server: a loaded run (one model or an ensemble) as a batched function.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LoadedRun } from "../models/model_io.ts";
import { meanSoftmax } from "../predict/mean_softmax.ts";
import type { BatchPredictFn } from "./micro_batcher.ts";

/**
 * Wraps a loaded run as a {@linkcode BatchPredictFn}: `count` NHWC images in [0, 1] in, softmax
 * probabilities out (averaged over the members of an ensemble). Runs inside `tf.tidy`, so no
 * tensor outlives a call.
 *
 * @example
 * ```ts ignore
 * import { loadRun } from "../models/model_io.ts";
 * import { createModelPredictor } from "./create_model_predictor.ts";
 * const predict = createModelPredictor(await loadRun("tests/fixtures/models/mnist-mlp"));
 * const probs = await predict(new Float32Array(784), 1); // 10 probabilities
 * ```
 */
export function createModelPredictor(run: LoadedRun): BatchPredictFn {
  const [h, w, c] = run.manifest.inputShape;
  return async (x, count) => {
    const probs = tf.tidy(() => meanSoftmax(run.models, [tf.tensor4d(x, [count, h, w, c])]));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  };
}
