import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _values } from "./wasm_kernels/_compare_with_cpu.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
import {
  CONV2D_BIAS_RELU_GRAD,
  conv2dBiasRelu,
  hasConv2dBiasRelu,
} from "../../backend/conv2d_bias_relu.ts";
import { _conv2dBiasReluKernels } from "../../backend/native/_conv2d_bias_relu_kernels.ts";
import { CONV_CASES, type ConvCase } from "./_conv_cases.ts";

const status = await registerNativeBackend();
if (!status.ok) console.log(`skipping the fused conv + bias + ReLU tests: ${status.reason}`);
const ignore = !status.ok;

const CASES: ConvCase[] = [
  ...CONV_CASES,
  // Large enough for oneDNN's ReLU backward (≥ 16,384 floats), odd channels.
  { x: [3, 29, 27, 5], f: [3, 3, 5, 67], stride: 1, pad: "same" },
];

type Case = (typeof CASES)[number];

/** y and the gradients of Σ y·r with respect to x, filter and bias (x's only when `withX`). */
function forwardAndGrads(c: Case, fused: boolean, withX: boolean): tf.Tensor[] {
  const seed = c.x.reduce((p, q) => p * 31 + q, c.f[3]!);
  const x = tf.tensor4d(
    _values(tf.util.sizeFromShape(c.x), seed),
    c.x as [number, number, number, number],
  );
  const f = tf.tensor4d(
    _values(tf.util.sizeFromShape(c.f), seed + 1),
    c.f as [number, number, number, number],
  );
  // A bias that puts about half the outputs below zero.
  const b = tf.tensor1d(_values(c.f[3]!, seed + 2));
  const conv = (xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor) =>
    fused
      ? conv2dBiasRelu(xs as tf.Tensor4D, fs as tf.Tensor4D, bs as tf.Tensor1D, {
        strides: [c.stride, c.stride],
        pad: c.pad,
      })
      : tf.fused.conv2d({
        x: xs as tf.Tensor4D,
        filter: fs as tf.Tensor4D,
        strides: c.stride,
        pad: c.pad,
        bias: bs,
        activation: "relu",
      });
  const y = conv(x, f, b);
  const r = tf.tensor(_values(y.size, seed + 3), y.shape);
  const grads = withX
    ? tf.grads((xs, fs, bs) => conv(xs, fs, bs).mul(r).sum())([x, f, b])
    : tf.grads((fs, bs) => conv(x, fs, bs).mul(r).sum())([f, b]);
  return [y, ...grads];
}

async function valuesOn(backend: string, c: Case, withX: boolean): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => forwardAndGrads(c, backend === "native", withX));
  const values = outs.map((o) => Float32Array.from(o.dataSync()));
  tf.dispose(outs);
  assert.equal(tf.memory().numTensors, before, `${backend} ${JSON.stringify(c)}: tensors leaked`);
  return values;
}

/** Asserts the fused op on native gives cpu's unfused values, relative to each output's scale. */
async function assertMatchesCpu(label: string, withX: boolean): Promise<void> {
  for (const c of CASES) {
    const expected = await valuesOn("cpu", c, withX);
    const actual = await valuesOn("native", c, withX);
    assert.equal(actual.length, expected.length);
    expected.forEach((e, o) => {
      const a = actual[o]!;
      assert.equal(a.length, e.length, `${label} ${JSON.stringify(c)}: output ${o} size`);
      let scale = 1e-6;
      for (const v of e) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < e.length; i++) {
        if (!(Math.abs(a[i]! - e[i]!) <= 1e-4 * scale)) {
          assert.fail(
            `${label} ${JSON.stringify(c)}: output ${o}[${i}] is ${a[i]} on native, ${e[i]} on cpu`,
          );
        }
      }
    });
  }
}

Deno.test({
  name: "conv2dBiasRelu on native gives cpu's relu(conv + bias) and its x, filter, bias gradients",
  ignore,
  async fn() {
    await tf.setBackend("native");
    assert.ok(hasConv2dBiasRelu());
    await assertMatchesCpu("fused", true);
  },
});

Deno.test({
  name: "conv2dBiasRelu skips the input gradient when only the weights need one",
  ignore,
  async fn() {
    await tf.setBackend("native");
    let inputGrads = 0;
    const k = tf.getKernel(tf.Conv2DBackpropInput, "native")!;
    tf.unregisterKernel(tf.Conv2DBackpropInput, "native");
    tf.registerKernel({ ...k, kernelFunc: (a) => (inputGrads++, k.kernelFunc(a)) });
    try {
      await assertMatchesCpu("weights only", false);
      assert.equal(inputGrads, 0);
    } finally {
      tf.unregisterKernel(tf.Conv2DBackpropInput, "native");
      tf.registerKernel(k);
    }
  },
});

Deno.test({
  name: "conv2dBiasRelu's gradient kernel without oneDNN (JS mask and bias sums) matches cpu",
  ignore,
  async fn() {
    const registered = tf.getKernel(CONV2D_BIAS_RELU_GRAD, "native")!;
    const base = _conv2dBiasReluKernels("native").find((k) =>
      k.kernelName === CONV2D_BIAS_RELU_GRAD
    )!;
    tf.unregisterKernel(CONV2D_BIAS_RELU_GRAD, "native");
    tf.registerKernel(base);
    try {
      await assertMatchesCpu("JS gradient", true);
    } finally {
      tf.unregisterKernel(CONV2D_BIAS_RELU_GRAD, "native");
      tf.registerKernel(registered);
    }
  },
});

Deno.test("hasConv2dBiasRelu is false on cpu, whose layers keep tfjs's own path", async () => {
  await tf.setBackend("cpu");
  assert.equal(hasConv2dBiasRelu(), false);
});
