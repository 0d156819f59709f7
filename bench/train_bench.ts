/**
 * `deno task bench train`: images/s of a full training step (forward, backward, Adam; batch 128)
 * and of inference (batch 512) per model and backend, with GFLOP/s, next to the same step in
 * PyTorch (2 threads) when `/usr/bin/python3 -c "import torch"` works. Prints figures; never
 * passes or fails on time. Timings on a shared machine are noisy: both sides run in one process
 * tree back to back so their ratio is the figure to trust.
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../backend/select_backend.ts";
import { probeWebGpu } from "../backend/probe_webgpu.ts";
import { createModel } from "../models/create_model.ts";
import { createSmallCnnRef } from "../models/small_cnn_ref.ts";

/** Training batch size (what `deno task train` uses by default). */
const TRAIN_BATCH = 128;
/** Inference batch size. */
const INFER_BATCH = 512;
/** Wall-clock budget per measurement, seconds (at least MIN_RUNS runs are always timed). */
const SECONDS = 3;
const MIN_TRAIN_RUNS = 3;
const MIN_INFER_RUNS = 2;
const MAX_RUNS = 30;
const MODELS = ["small-cnn-ref", "kaggle-cnn"];
const PYTHON = "/usr/bin/python3";

/** Options of {@linkcode runTrainBench}. */
export interface TrainBenchOptions {
  /** One JSON object per model × backend instead of a table. */
  json?: boolean;
  /** Backends to measure; default: native (if it loads), wasm, and webgpu on a real GPU. */
  backends?: string[];
  /** Models to measure: small-cnn-ref, kaggle-cnn, or any model-zoo name. */
  models?: string[];
  /** Seconds per measurement (default 3). */
  seconds?: number;
}

/** One printed result. */
export interface TrainBenchRow {
  model: string;
  backend: string;
  train_img_s: number;
  infer_img_s: number;
  /** Training GFLOP/s, counting a step as 3× the forward FLOPs. */
  gflops: number;
  torch_train_img_s?: number;
  torch_infer_img_s?: number;
  ratio_train?: number;
  ratio_infer?: number;
}

/**
 * Runs the training/inference benchmark and prints one line (or JSON object) per model × backend.
 *
 * @example
 * ```ts
 * await runTrainBench({ json: true, backends: ["wasm"], models: ["small-cnn-ref"], seconds: 1 });
 * ```
 */
export async function runTrainBench(opts: TrainBenchOptions = {}): Promise<void> {
  const seconds = opts.seconds ?? SECONDS;
  const models = opts.models ?? MODELS;
  const backends = opts.backends ?? (await _defaultBackends());
  if (!opts.json) {
    console.log(
      "model          backend  train img/s  infer img/s  GFLOP/s  torch train  torch infer  ratio",
    );
  }
  const skipped = new Set<string>();
  // Model-major, PyTorch first: on a shared machine the load drifts, so each model's two sides
  // are measured back to back.
  for (const model of models) {
    const peer = model === "small-cnn-ref" || model === "kaggle-cnn"
      ? await _runTorch(model, seconds)
      : undefined;
    if (typeof peer === "string" && !opts.json) console.log(`pytorch (${model}): ${peer}`);
    for (const backend of backends) {
      if (skipped.has(backend)) continue;
      let chosen: string;
      try {
        chosen = (await selectBackend(backend)).name;
      } catch (error) {
        if (!opts.json) console.log(`${backend}: skipped (${(error as Error).message})`);
        skipped.add(backend);
        continue;
      }
      const row = await _measure(model, chosen, seconds);
      if (peer !== undefined && typeof peer !== "string") {
        row.torch_train_img_s = peer.train;
        row.torch_infer_img_s = peer.infer;
        row.ratio_train = _round(row.train_img_s / peer.train, 100);
        row.ratio_infer = _round(row.infer_img_s / peer.infer, 100);
      }
      console.log(opts.json ? JSON.stringify(row) : _formatRow(row));
    }
  }
}

async function _defaultBackends(): Promise<string[]> {
  const out: string[] = [];
  try {
    const { registerNativeBackend } = await import("../backend/native/register_native_backend.ts");
    if ((await registerNativeBackend()).ok) out.push("native");
  } catch {
    // no native backend in this checkout
  }
  out.push("wasm");
  const gpu = await probeWebGpu();
  if (gpu.available && !gpu.fallback) out.push("webgpu");
  return out;
}

function _createBenchModel(name: string): tf.LayersModel {
  if (name !== "small-cnn-ref") {
    return createModel(name, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  }
  // The reference CNN, the same as the PyTorch side (models/small_cnn_ref.ts).
  return createSmallCnnRef({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
}

/** Forward FLOPs per image: 2·MACs of the Conv2D and Dense layers. */
function _forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0];
    if (kernel === undefined) continue;
    const name = layer.getClassName();
    const k = kernel.shape.reduce((a, b) => a * b, 1);
    if (name === "Conv2D") {
      const out = layer.outputShape as number[];
      flops += 2 * k * out[1]! * out[2]!;
    } else if (name === "Dense") {
      flops += 2 * k;
    }
  }
  return flops;
}

async function _timeRuns(
  f: () => Promise<void>,
  seconds: number,
  minRuns: number,
): Promise<number> {
  await f(); // warm-up: shader/operator creation, weight packing
  const times: number[] = [];
  const start = performance.now();
  while (
    times.length < minRuns ||
    (performance.now() - start < seconds * 1000 && times.length < MAX_RUNS)
  ) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! / 1000;
}

async function _measure(name: string, backend: string, seconds: number): Promise<TrainBenchRow> {
  const model = _createBenchModel(name);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  const x = tf.randomNormal([TRAIN_BATCH, 28, 28, 1]);
  const labels = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([TRAIN_BATCH], 0, 10, "int32") as tf.Tensor1D, 10)
  );
  const xi = tf.randomNormal([INFER_BATCH, 28, 28, 1]);
  try {
    const trainS = await _timeRuns(
      async () => {
        await model.trainOnBatch(x, labels);
      },
      seconds,
      MIN_TRAIN_RUNS,
    );
    const inferS = await _timeRuns(
      async () => {
        const p = model.predict(xi) as tf.Tensor;
        await p.data();
        p.dispose();
      },
      seconds,
      MIN_INFER_RUNS,
    );
    const trainImgS = TRAIN_BATCH / trainS;
    return {
      model: name,
      backend,
      train_img_s: _round(trainImgS),
      infer_img_s: _round(INFER_BATCH / inferS),
      gflops: _round((trainImgS * 3 * _forwardFlops(model)) / 1e9),
    };
  } finally {
    tf.dispose([x, labels, xi]);
    model.dispose();
  }
}

async function _runTorch(
  model: string,
  seconds: number,
): Promise<{ train: number; infer: number } | string> {
  const script = new URL("./torch_train_bench.py", import.meta.url).pathname;
  try {
    const out = await new Deno.Command(PYTHON, {
      args: [script, model, "--threads", "2", "--seconds", String(seconds)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
      return err.includes("No module named 'torch'")
        ? "not installed (apt-get install python3-torch); PyTorch columns left empty"
        : `failed: ${err}`;
    }
    const row = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      train_img_s: number;
      infer_img_s: number;
    };
    return { train: _round(row.train_img_s), infer: _round(row.infer_img_s) };
  } catch (error) {
    return `${PYTHON} could not run (${(error as Error).message})`;
  }
}

function _round(v: number, per = 10): number {
  return Math.round(v * per) / per;
}

function _formatRow(r: TrainBenchRow): string {
  const n = (v: number | undefined, w: number) =>
    (v === undefined ? "-" : v.toFixed(v < 100 ? 1 : 0)).padStart(w);
  const ratio = r.ratio_train === undefined
    ? ""
    : `  ${r.ratio_train.toFixed(2)}× train, ${r.ratio_infer!.toFixed(2)}× infer`;
  return `${r.model.padEnd(14)} ${r.backend.padEnd(7)} ${n(r.train_img_s, 12)} ${
    n(r.infer_img_s, 12)
  } ${n(r.gflops, 8)} ${n(r.torch_train_img_s, 12)} ${n(r.torch_infer_img_s, 12)}${ratio}`;
}
