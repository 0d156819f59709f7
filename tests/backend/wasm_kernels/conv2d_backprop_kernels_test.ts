import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _maxRelDiff, _runOn, _values } from "./_compare_with_cpu.ts";

type Pad = "same" | "valid";
interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  kh: number;
  kw: number;
  stride: number;
  pad: Pad;
}

const CASES: Case[] = [];
for (const stride of [1, 2, 3]) {
  for (const pad of ["same", "valid"] as const) {
    CASES.push({ n: 3, h: 9, w: 7, ci: 2, co: 5, kh: 3, kw: 3, stride, pad });
    CASES.push({ n: 2, h: 8, w: 11, ci: 3, co: 4, kh: 5, kw: 2, stride, pad });
    CASES.push({ n: 1, h: 6, w: 6, ci: 1, co: 3, kh: 1, kw: 1, stride, pad });
    CASES.push({ n: 2, h: 10, w: 9, ci: 4, co: 2, kh: 4, kw: 3, stride, pad });
    // Ci above the im2col threshold takes the swapped-axes conv route.
    CASES.push({ n: 3, h: 7, w: 8, ci: 6, co: 5, kh: 3, kw: 3, stride, pad });
    CASES.push({ n: 2, h: 9, w: 9, ci: 9, co: 3, kh: 5, kw: 4, stride, pad });
  }
}

function label(c: Case): string {
  return `${c.n}x${c.h}x${c.w}x${c.ci}→${c.co} k${c.kh}x${c.kw} s${c.stride} ${c.pad}`;
}

function outSize(size: number, k: number, stride: number, pad: Pad): number {
  return pad === "same" ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1;
}

Deno.test("Conv2DBackpropFilter on wasm matches cpu (odd sizes, strides 1/2/3, same/valid)", async () => {
  for (const c of CASES) {
    const xv = _values(c.n * c.h * c.w * c.ci, 1);
    const ho = outSize(c.h, c.kh, c.stride, c.pad);
    const wo = outSize(c.w, c.kw, c.stride, c.pad);
    const dyv = _values(c.n * ho * wo * c.co, 2);
    const f = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv, [c.n, c.h, c.w, c.ci]);
        const dy = tf.tensor4d(dyv, [c.n, ho, wo, c.co]);
        return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
          strides: [c.stride, c.stride],
          pad: c.pad,
          dataFormat: "NHWC",
          filterShape: [c.kh, c.kw, c.ci, c.co],
        }) as tf.Tensor;
      });
    const want = await _runOn("cpu", f);
    const got = await _runOn("wasm", f);
    assert.deepEqual(got.shape, want.shape, label(c));
    assert.ok(_maxRelDiff(got.values, want.values) < 1e-4, label(c));
  }
});

Deno.test("Conv2DBackpropInput on wasm matches cpu (odd sizes, strides 1/2/3, same/valid)", async () => {
  for (const c of CASES) {
    const wv = _values(c.kh * c.kw * c.ci * c.co, 3);
    const ho = outSize(c.h, c.kh, c.stride, c.pad);
    const wo = outSize(c.w, c.kw, c.stride, c.pad);
    const dyv = _values(c.n * ho * wo * c.co, 4);
    const f = () =>
      tf.tidy(() => {
        const filter = tf.tensor4d(wv, [c.kh, c.kw, c.ci, c.co]);
        const dy = tf.tensor4d(dyv, [c.n, ho, wo, c.co]);
        return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, {
          strides: [c.stride, c.stride],
          pad: c.pad,
          dataFormat: "NHWC",
          inputShape: [c.n, c.h, c.w, c.ci],
        }) as tf.Tensor;
      });
    const want = await _runOn("cpu", f);
    const got = await _runOn("wasm", f);
    assert.deepEqual(got.shape, want.shape, label(c));
    assert.ok(_maxRelDiff(got.values, want.values) < 1e-4, label(c));
  }
});

Deno.test("conv2d gradients through tf.grads on wasm match cpu", async () => {
  const xv = _values(2 * 9 * 9 * 3, 5);
  const wv = _values(3 * 3 * 3 * 4, 6);
  for (const stride of [1, 2] as const) {
    for (const pad of ["same", "valid"] as const) {
      const f = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, [2, 9, 9, 3]);
          const w = tf.tensor4d(wv, [3, 3, 3, 4]);
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).square().sum()
          );
          const [dx, dw] = g([x, w]);
          return tf.concat([dx!.flatten(), dw!.flatten()]);
        });
      const want = await _runOn("cpu", f);
      const got = await _runOn("wasm", f);
      assert.ok(_maxRelDiff(got.values, want.values) < 1e-4, `stride ${stride} ${pad}`);
    }
  }
});
