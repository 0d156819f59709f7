/**
 * `deno task bench train`: images/s of a full training step (forward, backward, Adam; batch 128)
 * and of inference (batch 512) per model and backend, with GFLOP/s against the machine's peak,
 * next to the same step in PyTorch (2 threads, bench/torch_train_bench.py, identical layers and
 * trainable-parameter counts, checked) when `/usr/bin/python3 -c "import torch"` works.
 *
 * Rounds (3 by default) interleave the two sides: in each round every model runs in PyTorch, then
 * on each digits backend, so drifting load hits both alike. Prints the CPU, the library versions
 * and the load average first (a warning above 0.3), then per round the raw figures, then the
 * median and min–max over the rounds. Prints figures; never passes or fails on time.
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../backend/select_backend.ts";
import { probeWebGpu } from "../backend/probe_webgpu.ts";
import { createModel } from "../models/create_model.ts";
import { createSmallCnnRef } from "../models/small_cnn_ref.ts";
import { createOptimizer } from "../train/create_optimizer.ts";
import { _formatSystemInfo, _spread, _systemInfo } from "./_system_info.ts";
import { _python, _torchVersions } from "./_torch_script.ts";

/** Training batch size. */
const TRAIN_BATCH = 128;
/** Inference batch size. */
const INFER_BATCH = 512;
/** Wall-clock budget per measurement, seconds (at least MIN_RUNS runs are always timed). */
const SECONDS = 3;
const ROUNDS = 3;
const MIN_TRAIN_RUNS = 3;
const MIN_INFER_RUNS = 2;
const MAX_RUNS = 30;
/** The models measured by default; all four have a PyTorch twin. */
export const TRAIN_BENCH_MODELS = ["small-cnn-ref", "kaggle-cnn", "compact-cnn", "deotte"];

/** Options of {@linkcode runTrainBench}. */
export interface TrainBenchOptions {
  /** One JSON object per model × backend (medians and spreads) instead of a table. */
  json?: boolean;
  /** Backends to measure; default: native (if it loads), wasm, and webgpu on a real GPU. */
  backends?: string[];
  /** Models to measure (default the four of TRAIN_BENCH_MODELS), or any model-zoo name. */
  models?: string[];
  /** Seconds per measurement (default 3). */
  seconds?: number;
  /** Interleaved rounds (default 3). */
  rounds?: number;
}

/** Median and min–max of one figure over the rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One summary row: a model on a backend, with its PyTorch twin when it ran. */
export interface TrainBenchRow {
  model: string;
  backend: string;
  rounds: number;
  train_img_s: Spread;
  infer_img_s: Spread;
  /**
   * Training GFLOP/s at the median: a step counts forward, weight gradient and input gradient
   * (each the forward's FLOPs) of every layer, less the first layer's input gradient, which
   * neither side computes (see `_trainFlops`).
   */
  gflops: number;
  /**
   * gflops as a percentage of the machine's peak at the clock /proc/cpuinfo reports (nominal in
   * most VMs; a boost clock above it reads as more than 100%).
   */
  peak_pct: number;
  params: number;
  torch_train_img_s?: Spread;
  torch_infer_img_s?: Spread;
  torch_gflops?: number;
  torch_params?: number;
  /** Ratios of the medians (digits / PyTorch). */
  ratio_train?: number;
  ratio_infer?: number;
}

interface _Sample {
  train: number;
  infer: number;
  params: number;
  /** Training FLOPs per image (`_trainFlops`). */
  flops: number;
}

/**
 * Runs the training/inference benchmark: a header, one line per measurement as it comes, then
 * one summary line (or JSON object) per model × backend.
 *
 * @example
 * ```ts ignore
 * await runTrainBench({ backends: ["wasm"], models: ["compact-cnn"], seconds: 1, rounds: 1 });
 * ```
 */
export async function runTrainBench(opts: TrainBenchOptions = {}): Promise<TrainBenchRow[]> {
  const seconds = opts.seconds ?? SECONDS;
  const rounds = opts.rounds ?? ROUNDS;
  const models = opts.models ?? TRAIN_BENCH_MODELS;
  const backends = opts.backends ?? (await _defaultBackends());
  const log = (line: string) => opts.json || console.log(line);
  const torchVersions = await _torchVersions();
  const info = await _systemInfo(typeof torchVersions === "string" ? undefined : torchVersions);
  _formatSystemInfo(info).forEach(log);
  if (typeof torchVersions === "string") log(`pytorch: ${torchVersions}`);
  const samples = new Map<string, _Sample[]>();
  const add = (key: string, s: _Sample) => samples.set(key, [...(samples.get(key) ?? []), s]);
  const usable = await _usableBackends(backends, log);
  for (let round = 1; round <= rounds; round++) {
    for (const model of models) {
      if (typeof torchVersions !== "string" && TRAIN_BENCH_MODELS.includes(model)) {
        const peer = await _runTorch(model, seconds);
        if (typeof peer === "string") log(`round ${round} ${model} pytorch: ${peer}`);
        else add(`${model}\tpytorch`, peer);
        if (typeof peer !== "string") log(_formatSample(round, model, "pytorch", peer));
      }
      for (const backend of usable) {
        await selectBackend(backend);
        const s = await _measure(model, seconds);
        add(`${model}\t${backend}`, s);
        log(_formatSample(round, model, backend, s));
      }
    }
  }
  const rows = _summarize(models, usable, samples, rounds, info.peakGflops);
  log("");
  log(
    "model          backend   train img/s (min–max)    infer img/s (min–max)   GFLOP/s  peak  " +
      "torch train (min–max)    torch infer (min–max)   ratio",
  );
  for (const row of rows) {
    log(_formatRow(row));
    if (row.torch_params !== undefined && row.torch_params !== row.params) {
      log(
        `WARNING: ${row.model} has ${row.params} trainable parameters, PyTorch's ${row.torch_params}`,
      );
    }
    if (opts.json) console.log(JSON.stringify(row));
  }
  return rows;
}

/** Median rows per model × backend from the rounds' samples. */
function _summarize(
  models: string[],
  backends: string[],
  samples: Map<string, _Sample[]>,
  rounds: number,
  peakGflops: number,
): TrainBenchRow[] {
  const rows: TrainBenchRow[] = [];
  for (const model of models) {
    const peer = samples.get(`${model}\tpytorch`);
    for (const backend of backends) {
      const own = samples.get(`${model}\t${backend}`);
      if (own === undefined) continue;
      const train = _rounded(_spread(own.map((s) => s.train)));
      const infer = _rounded(_spread(own.map((s) => s.infer)));
      const gflops = (train.median * own[0]!.flops) / 1e9;
      const row: TrainBenchRow = {
        model,
        backend,
        rounds,
        train_img_s: train,
        infer_img_s: infer,
        gflops: _round(gflops),
        peak_pct: _round((100 * gflops) / peakGflops),
        params: own[0]!.params,
      };
      if (peer !== undefined) {
        row.torch_train_img_s = _rounded(_spread(peer.map((s) => s.train)));
        row.torch_infer_img_s = _rounded(_spread(peer.map((s) => s.infer)));
        row.torch_gflops = _round((row.torch_train_img_s.median * own[0]!.flops) / 1e9);
        row.torch_params = peer[0]!.params;
        row.ratio_train = _round(train.median / row.torch_train_img_s.median, 100);
        row.ratio_infer = _round(infer.median / row.torch_infer_img_s.median, 100);
      }
      rows.push(row);
    }
  }
  return rows;
}

/** The backends that can be set, in order; prints why the others are skipped. */
async function _usableBackends(backends: string[], log: (line: string) => void) {
  const out: string[] = [];
  for (const backend of backends) {
    try {
      out.push((await selectBackend(backend)).name);
    } catch (error) {
      log(`${backend}: skipped (${(error as Error).message})`);
    }
  }
  return out;
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

/** The model `name` as the benchmark builds it (small-cnn-ref here, the rest from the zoo). */
export function _createBenchModel(name: string): tf.LayersModel {
  if (name !== "small-cnn-ref") {
    return createModel(name, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  }
  // The issue's reference CNN, the same as the PyTorch side (models/small_cnn_ref.ts).
  return createSmallCnnRef({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
}

/**
 * Training FLOPs per image: 3 × the forward's 2·MACs of every Conv2D and Dense layer (forward,
 * weight gradient, input gradient), less the first such layer's input gradient: the image needs
 * none, and neither tfjs's tape nor PyTorch's autograd computes it.
 */
export function _trainFlops(model: tf.LayersModel): number {
  const forward: number[] = [];
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0];
    if (kernel === undefined) continue;
    const name = layer.getClassName();
    const k = kernel.shape.reduce((a, b) => a * b, 1);
    if (name === "Conv2D") {
      const out = layer.outputShape as number[];
      forward.push(2 * k * out[1]! * out[2]!);
    } else if (name === "Dense") {
      forward.push(2 * k);
    }
  }
  const total = forward.reduce((a, b) => a + b, 0);
  return 3 * total - (forward[0] ?? 0);
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

async function _measure(name: string, seconds: number): Promise<_Sample> {
  const model = _createBenchModel(name);
  // The optimizer `deno task train` uses: the fused Adam where the backend has the kernel.
  model.compile({ optimizer: createOptimizer("adam", 1e-3, 0), loss: "categoricalCrossentropy" });
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
    return {
      train: TRAIN_BATCH / trainS,
      infer: INFER_BATCH / inferS,
      params: model.trainableWeights.reduce(
        (n, w) => n + tf.util.sizeFromShape(w.shape as number[]),
        0,
      ),
      flops: _trainFlops(model),
    };
  } finally {
    tf.dispose([x, labels, xi]);
    (model.optimizer as tf.Optimizer | undefined)?.dispose();
    model.dispose();
  }
}

async function _runTorch(model: string, seconds: number): Promise<_Sample | string> {
  const out = await _python([model, "--threads", "2", "--seconds", String(seconds)]);
  if (typeof out === "string") return out;
  return {
    train: out.train_img_s as number,
    infer: out.infer_img_s as number,
    params: out.params as number,
    flops: 0,
  };
}

function _round(v: number, per = 10): number {
  return Math.round(v * per) / per;
}

function _rounded(s: Spread): Spread {
  return { median: _round(s.median), min: _round(s.min), max: _round(s.max) };
}

function _num(v: number): string {
  return v.toFixed(v < 100 ? 1 : 0);
}

function _cell(s: Spread | undefined, width: number): string {
  return (s === undefined ? "-" : `${_num(s.median)} (${_num(s.min)}–${_num(s.max)})`)
    .padEnd(width);
}

function _formatSample(round: number, model: string, side: string, s: _Sample): string {
  return `round ${round}  ${model.padEnd(14)} ${side.padEnd(8)} train ${_num(s.train)} img/s  ` +
    `infer ${_num(s.infer)} img/s`;
}

function _formatRow(r: TrainBenchRow): string {
  const ratio = r.ratio_train === undefined
    ? ""
    : `${r.ratio_train.toFixed(2)}× train, ${r.ratio_infer!.toFixed(2)}× infer`;
  return `${r.model.padEnd(14)} ${r.backend.padEnd(9)} ${_cell(r.train_img_s, 24)} ` +
    `${_cell(r.infer_img_s, 23)} ${_num(r.gflops).padStart(7)} ${
      `${r.peak_pct.toFixed(0)}%`.padStart(5)
    }  ` +
    `${_cell(r.torch_train_img_s, 24)} ${_cell(r.torch_infer_img_s, 23)} ${ratio}`;
}
