/**
 * Developer tool: measures training (forward + backward + the trainer's own fused Adam from
 * train/create_optimizer.ts, with the accuracy metric the trainer compiles; batch 128 or --batch N)
 * and inference (batch 512) images/s of small-cnn-ref (the PyTorch comparison's model) or any zoo model on the given
 * backends, and with --profile prints where the time of a training step goes, per kernel. Not part
 * of the CLI:
 *
 *   deno run -A bench/measure_step.ts --backend native,wasm --model small-cnn-ref,kaggle-cnn
 *   deno run -A bench/measure_step.ts --model compact-cnn --batch 64 --profile
 *   deno run -A bench/measure_step.ts --model deotte --batch 64 --profile --by-shape
 *
 * On native, DIGITS_DNNL=off runs the same step without oneDNN (OpenBLAS and JS loops only), and
 * OMP_NUM_THREADS sets oneDNN's threads: run both to see what oneDNN changes per kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { registerNativeBackend } from "../backend/native/register_native_backend.ts";
import { createModel } from "../models/create_model.ts";
import { createSmallCnnRef } from "../models/small_cnn_ref.ts";
import { createOptimizer } from "../train/create_optimizer.ts";

const INFER_BATCH = 512;

/** small-cnn-ref (the PyTorch comparison's model), or any model of the zoo by name. */
function makeModel(name: string): tf.LayersModel {
  const config = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 1 };
  if (name === "small-cnn-ref") return createSmallCnnRef(config);
  return createModel(name, config);
}

const kernelTimes = new Map<string, { ms: number; calls: number }>();
let profiling = false;
/** --by-shape: profile rows per kernel and output shape (which Multiply is which). */
let byShape = false;

function _outShapes(r: tf.TensorInfo | tf.TensorInfo[]): string {
  return (Array.isArray(r) ? r : [r]).map((t) => `[${t.shape}]`).join(",");
}

/**
 * Re-registers every kernel of `backend` with a timer around it. Only outermost calls are timed:
 * a kernel that calls another (the fused conv calls FusedConv2D) counts once, under its own name.
 */
function instrument(backend: string): void {
  let depth = 0;
  for (const k of tf.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (!profiling || depth > 0) return inner(args);
        depth++;
        const t0 = performance.now();
        let r: tf.TensorInfo | tf.TensorInfo[];
        try {
          r = inner(args);
        } finally {
          depth--;
        }
        const name = byShape ? `${k.kernelName} ${_outShapes(r)}` : k.kernelName;
        const e = kernelTimes.get(name) ?? { ms: 0, calls: 0 };
        e.ms += performance.now() - t0;
        e.calls++;
        kernelTimes.set(name, e);
        return r;
      },
    });
  }
}

async function useBackend(name: string): Promise<void> {
  if (name === "native") {
    const s = await registerNativeBackend();
    if (!s.ok) throw new Error(s.reason);
    console.log(`native: ${s.reason}`);
  } else if (name === "wasm") {
    await import("@tensorflow/tfjs-backend-wasm");
    const mod = await import("../backend/wasm_kernels/register_wasm_training_kernels.ts");
    mod.registerWasmTrainingKernels();
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}

/** Prints the kernels that took at least 0.5 % of the profiled calls' time, and resets. */
function report(what: string, callMs: number[]): void {
  const n = callMs.length;
  const total = callMs.reduce((a, b) => a + b, 0);
  const rows = [...kernelTimes.entries()].sort((a, b) => b[1].ms - a[1].ms);
  let sum = 0;
  console.log(`  profile of one ${what}:`);
  for (const [name, { ms, calls }] of rows) {
    sum += ms;
    if (ms / total < 0.005) continue;
    console.log(
      `    ${name.padEnd(byShape ? 48 : 24)} ${(ms / n).toFixed(2).padStart(8)} ms ` +
        `${(100 * ms / total).toFixed(1).padStart(5)} %  ${calls / n} calls`,
    );
  }
  console.log(`    (outside kernels: ${((total - sum) / n).toFixed(2)} ms)`);
  kernelTimes.clear();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(
  backend: string,
  modelName: string,
  steps: number,
  profile: boolean,
  trainBatch: number,
) {
  const model = makeModel(modelName);
  // The step train/train_run.ts takes: the fused Adam, cross-entropy, the accuracy metric.
  model.compile({
    optimizer: createOptimizer("adam", 1e-3, 0),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const x = tf.randomUniform([trainBatch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([trainBatch], 0, 10, "int32"), 10);
  const xi = tf.randomUniform([INFER_BATCH, 28, 28, 1]);
  const trainMs: number[] = [];
  let tensors = -1;
  for (let i = 0; i < steps + 2; i++) {
    profiling = profile && i >= 2;
    const t0 = performance.now();
    await model.trainOnBatch(x, y);
    if (i >= 2) trainMs.push(performance.now() - t0);
    if (i === 1) tensors = tf.memory().numTensors;
  }
  profiling = false;
  if (profile) report("train step", trainMs);
  const leak = tf.memory().numTensors - tensors;
  const inferMs: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(steps / 2)); i++) {
    profiling = profile && i >= 1;
    const t0 = performance.now();
    const p = model.predict(xi, { batchSize: INFER_BATCH }) as tf.Tensor;
    await p.data();
    p.dispose();
    inferMs.push(performance.now() - t0);
  }
  profiling = false;
  if (profile) report("inference batch", inferMs.slice(1));
  const train = trainBatch / (median(trainMs) / 1000);
  const infer = INFER_BATCH / (median(inferMs.slice(1)) / 1000);
  console.log(
    `${modelName.padEnd(14)} ${backend.padEnd(7)} train ${train.toFixed(0).padStart(6)} img/s ` +
      `(step ${median(trainMs).toFixed(1)} ms)  infer ${infer.toFixed(0).padStart(6)} img/s` +
      `  tensors +${leak}`,
  );
  tf.dispose([x, y, xi]);
  model.dispose();
}

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "native" },
    model: { type: "string", default: "small-cnn-ref,kaggle-cnn" },
    steps: { type: "string", default: "5" },
    profile: { type: "boolean", default: false },
    "by-shape": { type: "boolean", default: false },
    batch: { type: "string", default: "128" },
  },
});
byShape = values["by-shape"];
for (const backend of values.backend.split(",")) {
  await useBackend(backend);
  if (values.profile) instrument(backend);
  for (const m of values.model.split(",")) {
    await measure(backend, m, Number(values.steps), values.profile, Number(values.batch));
  }
}
