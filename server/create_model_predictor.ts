/**
 * The model call behind the server: a loaded run (one model or an ensemble) as a batched function.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LoadedRun } from "../models/model_io.ts";
import { meanSoftmax } from "../predict/mean_softmax.ts";
import { batchBuckets } from "./batch_buckets.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";

/**
 * Wraps a loaded run as a {@linkcode BatchPredictFn}: `count` NHWC images in [0, 1] in, softmax
 * probabilities out, each model's output calibrated with its manifest's temperature and then
 * averaged over the members of an ensemble.
 *
 * A call of `count` images runs the model at the smallest of `sizes` that holds them (see
 * {@linkcode batchBuckets}; default: the buckets up to 64), the images after `count` zero, and
 * answers the first `count` rows; more images than the largest size run as they are. The padded
 * input lives in one buffer allocated here, so padding allocates nothing per call.
 *
 * One model call makes one input tensor and keeps nothing: everything runs inside `tf.tidy`, so
 * no tensor outlives a call and `tf.memory().numTensors` is the same before and after. On the
 * CPU backends (native, wasm, cpu) the probabilities are read synchronously, which saves a
 * promise hop per call; WebGPU reads them asynchronously, as it must.
 *
 * @example
 * ```ts ignore
 * import { loadRun } from "../models/model_io.ts";
 * import { createModelPredictor } from "./create_model_predictor.ts";
 * const predict = createModelPredictor(await loadRun("tests/fixtures/models/mnist-mlp"));
 * const probs = await predict(new Float32Array(784), 1); // 10 probabilities
 * ```
 */
export function createModelPredictor(
  run: LoadedRun,
  sizes: readonly number[] = batchBuckets(64),
): BatchPredictFn {
  const [h, w, c] = run.manifest.inputShape;
  const imageSize = h * w * c;
  const classes = run.manifest.classes.length;
  const models = run.models;
  const temperatures = run.temperatures;
  const largest = Math.max(...sizes);
  const padded = new Float32Array(largest * imageSize);
  const forward = (x: Float32Array, count: number) =>
    tf.tidy(() => {
      const input = tf.tensor4d(x, [count, h, w, c]);
      return meanSoftmax(models, [input], temperatures);
    });
  return async (x, count) => {
    const size = sizes.find((n) => n >= count) ?? count;
    let input = x;
    if (size > count) {
      padded.set(x);
      padded.fill(0, x.length, size * imageSize);
      input = padded.subarray(0, size * imageSize);
    }
    const probs = forward(input, size);
    try {
      const values = tf.getBackend() === "webgpu"
        ? (await probs.data()) as Float32Array
        : probs.dataSync() as Float32Array;
      return size > count ? values.subarray(0, count * classes) : values;
    } finally {
      probs.dispose();
    }
  };
}
