import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _maxRelDiff, _runOn, _values } from "./_compare_with_cpu.ts";

Deno.test("MaxPoolGrad on wasm matches cpu (odd sizes, overlap, strides 1/2, same/valid, ties)", async () => {
  const shapes: [number, number, number, number][] = [[2, 7, 9, 3], [1, 6, 6, 5], [3, 5, 4, 1]];
  const pools: [number, number][] = [[2, 2], [3, 2], [2, 1], [3, 1]];
  for (const shape of shapes) {
    for (const [size, stride] of pools) {
      for (const pad of ["same", "valid"] as const) {
        for (const ties of [false, true]) {
          const n = shape.reduce((a, b) => a * b, 1);
          // With ties, values are rounded so that windows hold equal maxima (as after ReLU).
          const xv = _values(n, 7).map((v) => (ties ? Math.max(0, Math.round(v * 2)) : v));
          const f = () =>
            tf.tidy(() => {
              const x = tf.tensor4d(xv, shape);
              return tf.grad((a: tf.Tensor) =>
                tf.maxPool(a as tf.Tensor4D, size, stride, pad).mul(
                  tf.range(1, 1 + tf.maxPool(a as tf.Tensor4D, size, stride, pad).size)
                    .reshape(tf.maxPool(a as tf.Tensor4D, size, stride, pad).shape),
                ).sum()
              )(x);
            });
          const want = await _runOn("cpu", f);
          const got = await _runOn("wasm", f);
          const what = `${shape} pool ${size} stride ${stride} ${pad} ties=${ties}`;
          assert.ok(_maxRelDiff(got.values, want.values) < 1e-5, what);
        }
      }
    }
  }
});
