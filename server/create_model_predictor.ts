/**
 * The model call behind the server: a loaded run (one model or an ensemble) as a batched function.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LoadedRun } from "../models/model_io.ts";
import { meanSoftmax } from "../predict/mean_softmax.ts";
import { applyTemperature } from "../common/apply_temperature.ts";
import {
  createNativeInferencePlan,
  type NativeInferencePlan,
} from "../backend/native/native_inference_plan.ts";
import { inferenceLayers } from "../models/inference_layers.ts";
import { batchBuckets } from "./batch_buckets.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";

/** A {@linkcode BatchPredictFn} that also says how it runs the model. */
export interface ModelPredictor extends BatchPredictFn {
  /**
   * `"native plan"` (each model as a {@linkcode NativeInferencePlan}) or `"tfjs"`, with the
   * reason the plan was not used, e.g. `"tfjs (backend wasm)"`.
   */
  readonly path: string;
}

/** Options of {@linkcode createModelPredictor}. */
export interface ModelPredictorOptions {
  /** Run each model as a native inference plan where it can (default true); false: tfjs. */
  nativePlan?: boolean;
}

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
 * On the native backend each model runs as a {@linkcode NativeInferencePlan} built for every one
 * of `sizes`: the same oneDNN primitives and loops as the tfjs kernels (the same probabilities,
 * bit for bit), without a tensor per layer. A batch larger than every size, a model the plan
 * does not take (the reason is in `path`) and every other backend go through tfjs: one input
 * tensor per call, everything inside `tf.tidy`, so `tf.memory().numTensors` is the same before
 * and after. On the CPU backends the probabilities are read synchronously, which saves a promise
 * hop per call; WebGPU reads them asynchronously, as it must.
 *
 * @example
 * ```ts ignore
 * import { loadRun } from "../models/model_io.ts";
 * import { createModelPredictor } from "./create_model_predictor.ts";
 * const predict = createModelPredictor(await loadRun("tests/fixtures/models/mnist-mlp"));
 * const probs = await predict(new Float32Array(784), 1); // 10 probabilities
 * console.log(predict.path); // "native plan" on the native backend
 * ```
 */
export function createModelPredictor(
  run: LoadedRun,
  sizes: readonly number[] = batchBuckets(64),
  options: ModelPredictorOptions = {},
): ModelPredictor {
  const [h, w, c] = run.manifest.inputShape;
  const imageSize = h * w * c;
  const largest = Math.max(...sizes);
  const padded = new Float32Array(largest * imageSize);
  const tfjs = _tfjsForward(run);
  const plans = options.nativePlan === false ? "turned off" : _nativePlans(run, sizes);
  const forward = typeof plans === "string" ? tfjs : _planForward(run, plans, tfjs);
  const predict = (x: Float32Array, count: number) => {
    const size = sizes.find((n) => n >= count) ?? count;
    let input = x;
    if (size > count) {
      padded.set(x);
      padded.fill(0, x.length, size * imageSize);
      input = padded.subarray(0, size * imageSize);
    }
    return forward(input, size, count);
  };
  const path = typeof plans === "string" ? `tfjs (${plans})` : "native plan";
  return Object.assign(predict, { path });
}

/**
 * Runs one call of zero images at each of `sizes` and resolves to the milliseconds it took. The
 * first call at a size pays for kernel set-up (tfjs on native: oneDNN builds its primitives per
 * shape), which would otherwise stall the requests of the first batch of that size; the server
 * warms up in-thread and in the model Worker alike.
 */
export async function warmUpModelPredictor(
  predict: BatchPredictFn,
  inputShape: readonly [number, number, number],
  sizes: readonly number[],
): Promise<number> {
  const [h, w, c] = inputShape;
  const started = performance.now();
  for (const n of sizes) await predict(new Float32Array(n * h * w * c), n);
  return performance.now() - started;
}

/** A model call on `size` images in `x` that answers the first `count` rows. */
type Forward = (x: Float32Array, size: number, count: number) => Promise<Float32Array>;

/** The run's models through tfjs (`meanSoftmax`), on any backend. */
function _tfjsForward(run: LoadedRun): Forward {
  const [h, w, c] = run.manifest.inputShape;
  const classes = run.manifest.classes.length;
  return async (x, size, count) => {
    const probs = tf.tidy(() =>
      meanSoftmax(run.models, [tf.tensor4d(x, [size, h, w, c])], run.temperatures)
    );
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

/** One native plan per model, or why the run goes through tfjs. */
function _nativePlans(run: LoadedRun, sizes: readonly number[]): NativeInferencePlan[] | string {
  if (tf.getBackend() !== "native") return `backend ${tf.getBackend()}`;
  const plans: NativeInferencePlan[] = [];
  for (const model of run.models) {
    const layers = inferenceLayers(model);
    const plan = typeof layers === "string"
      ? layers
      : createNativeInferencePlan(layers, run.manifest.inputShape, sizes);
    if (typeof plan === "string") {
      plans.forEach((p) => p.dispose());
      return plan;
    }
    plans.push(plan);
  }
  return plans;
}

/**
 * The run's models through their plans: each model's rows calibrated with its temperature
 * (`applyTemperature`: `meanSoftmax`'s formula on arrays, in float64, so the two paths agree to
 * about 1e-7 for T ≠ 1), summed, and divided by the number of models.
 * Sizes the plans were not built for go to `fallback`.
 */
function _planForward(run: LoadedRun, plans: NativeInferencePlan[], fallback: Forward): Forward {
  const classes = run.manifest.classes.length;
  return (x, size, count) => {
    if (!plans[0]!.sizes.includes(size)) return fallback(x, size, count);
    const rows = count * classes;
    const out = new Float32Array(rows);
    plans.forEach((plan, i) => {
      const probs = plan.run(x, size).subarray(0, rows);
      const t = run.temperatures[i] ?? 1;
      const calibrated = t === 1 ? probs : applyTemperature(probs, classes, t);
      for (let j = 0; j < rows; j++) out[j] = out[j]! + calibrated[j]!;
    });
    if (plans.length > 1) { for (let j = 0; j < rows; j++) out[j] = out[j]! / plans.length; }
    return Promise.resolve(out);
  };
}
