import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { probeWebGpu } from "../../backend/probe_webgpu.ts";
import { _values } from "./wasm_kernels/_compare_with_cpu.ts";
import { conv2d } from "../../models/conv2d.ts";
import { batchNormalization } from "../../models/batch_normalization.ts";
import { dropout } from "../../models/dropout.ts";

const STEPS = 4;
const BATCH = 6;

/**
 * Conv (same, stride 2) + BN + max-pool + conv (valid) + dropout + dense ELU + softmax: every
 * gradient kernel, through the project's own layers (fused conv + ReLU and batch norm on native,
 * tfjs's own path elsewhere; the dropout masks come from the same seed on every backend).
 */
function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(conv2d({
    inputShape: [10, 10, 1],
    filters: 4,
    kernelSize: 3,
    strides: 2,
    padding: "same",
    activation: "relu",
  }));
  m.add(batchNormalization());
  m.add(conv2d({ filters: 6, kernelSize: 3, padding: "same", activation: "relu" }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(conv2d({ filters: 5, kernelSize: 2, activation: "relu" }));
  m.add(tf.layers.flatten());
  m.add(dropout({ rate: 0.25 }, 17));
  m.add(tf.layers.dense({ units: 8, activation: "elu" }));
  m.add(tf.layers.dense({ units: 3, activation: "softmax" }));
  // Same weights on every backend.
  m.setWeights(m.weights.map((v, i) => {
    const shape = v.shape as number[];
    const size = shape.reduce((p, q) => p * q, 1);
    const scale = shape.length > 1 ? 0.5 : 0.1;
    const vals = _values(size, 100 + i).map((x) => x * scale);
    // Batch-norm variances must stay positive.
    return tf.tensor(
      v.name.includes("variance") ? vals.map((x) => 1 + Math.abs(x)) : vals,
      shape,
    );
  }));
  return m;
}

/** Loss after each of STEPS Adam steps, and the tensor count after each step. */
async function trajectory(backend: string): Promise<{ losses: number[]; counts: number[] }> {
  await selectBackend(backend);
  const model = tinyModel();
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  const x = tf.tensor4d(_values(BATCH * 100, 7), [BATCH, 10, 10, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], "int32"), 3);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    losses.push(await model.trainOnBatch(x, y) as number);
    counts.push(tf.memory().numTensors);
  }
  tf.dispose([x, y]);
  model.dispose();
  return { losses, counts };
}

async function availableBackends(): Promise<string[]> {
  const out = ["wasm"];
  try {
    await selectBackend("native");
    out.push("native");
  } catch (error) {
    console.log(`native skipped: ${(error as Error).message}`);
  }
  const gpu = await probeWebGpu();
  if (gpu.available) out.push("webgpu");
  else console.log(`webgpu skipped: ${gpu.description}`);
  return out;
}

Deno.test({
  name: "training steps give the cpu loss trajectory on every available backend, without leaks",
  sanitizeResources: false, // WebGPU devices stay open for the process
  sanitizeOps: false,
  fn: async () => {
    const want = await trajectory("cpu");
    assert.ok(want.losses.every(Number.isFinite));
    assert.ok(want.losses.at(-1)! < want.losses[0]!, `cpu loss did not fall: ${want.losses}`);
    for (const backend of await availableBackends()) {
      const t0 = performance.now();
      const got = await trajectory(backend);
      const ms = (performance.now() - t0).toFixed(0);
      console.log(`${backend}: losses ${got.losses.map((l) => l.toFixed(5)).join(" ")} (${ms} ms)`);
      for (let i = 0; i < STEPS; i++) {
        const diff = Math.abs(got.losses[i]! - want.losses[i]!);
        assert.ok(
          diff < 2e-3 * Math.max(1, want.losses[i]!),
          `${backend} step ${i}: loss ${got.losses[i]} vs cpu ${want.losses[i]}`,
        );
      }
      // Flat after the first step (the optimizer creates its slots on step 1).
      assert.deepEqual(
        new Set(got.counts.slice(1)).size,
        1,
        `${backend} tensor count grew: ${got.counts}`,
      );
    }
  },
});
