/**
 * The model call behind the server: a loaded run (one model or an ensemble) as a batched function.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LoadedRun } from "../models/model_io.ts";
import { meanSoftmax } from "../predict/mean_softmax.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";

/**
 * Wraps a loaded run as a {@linkcode BatchPredictFn}: `count` NHWC images in [0, 1] in, softmax
 * probabilities out, each model's output calibrated with its manifest's temperature and then
 * averaged over the members of an ensemble.
 *
 * One model call makes one input tensor (from the batcher's preallocated buffer for that batch
 * size) and keeps nothing: everything runs inside `tf.tidy`, so no tensor outlives a call and
 * `tf.memory().numTensors` is the same before and after. On the CPU backends (native, wasm, cpu)
 * the probabilities are read synchronously, which saves a promise hop per call; WebGPU reads them
 * asynchronously, as it must.
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
  const models = run.models;
  const temperatures = run.temperatures;
  const forward = (x: Float32Array, count: number) =>
    tf.tidy(() => {
      const input = tf.tensor4d(x, [count, h, w, c]);
      return meanSoftmax(models, [input], temperatures);
    });
  return async (x, count) => {
    const probs = forward(x, count);
    try {
      if (tf.getBackend() === "webgpu") return (await probs.data()) as Float32Array;
      return probs.dataSync() as Float32Array;
    } finally {
      probs.dispose();
    }
  };
}
