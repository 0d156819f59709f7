import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _values } from "./wasm_kernels/_compare_with_cpu.ts";
import { batchNormTraining, hasBatchNormTraining } from "../../backend/batch_norm_training.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
import { selectBackend } from "../../backend/select_backend.ts";

const status = await registerNativeBackend();
if (!status.ok) console.log(`skipping the native fused batch norm tests: ${status.reason}`);
await selectBackend("wasm"); // initialises wasm and registers its training kernels
// Tolerance (relative to each output's largest value) for data far from zero mean: native runs
// oneDNN's batch norm when libdnnl is present, whose float32 sums lose about 6e-5 of dScale at a
// mean of 100σ (the JS loops sum in float64).
const BACKENDS = [
  { name: "wasm", ignore: false, shiftedTolerance: 2e-5 },
  { name: "native", ignore: !status.ok, shiftedTolerance: 2e-4 },
];

interface Case {
  shape: number[];
  /** Added to x: a large mean tests the variance's numerical care. */
  shift: number;
}

/** y, mean, variance and the gradients of Σ y·dy with respect to x, scale and offset. */
async function results(
  { shape, shift }: Case,
  fused: boolean,
): Promise<Record<string, Float32Array>> {
  const n = shape.reduce((a, b) => a * b, 1);
  const c = shape.at(-1)!;
  const outs = tf.tidy(() => {
    const x = tf.add(tf.tensor(_values(n, 11), shape), shift);
    const scale = tf.add(tf.tensor1d(_values(c, 12)), 1.5) as tf.Tensor1D;
    const offset = tf.tensor1d(_values(c, 13));
    const dy = tf.tensor(_values(n, 14), shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const forward = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
      if (fused) return batchNormTraining(xs, s as tf.Tensor1D, o as tf.Tensor1D, 1e-3);
      // tfjs-layers' own training-mode composition.
      const { mean, variance } = tf.moments(xs, axes);
      return [tf.batchNorm(xs, mean, variance, o, s, 1e-3), mean, variance];
    };
    const [y, mean, variance] = forward(x, scale, offset);
    const grads = tf.grads((xs, s, o) => tf.sum(tf.mul(forward(xs, s, o)[0]!, dy)))([
      x,
      scale,
      offset,
    ]);
    return {
      y: y!,
      mean: mean!,
      variance: variance!,
      dx: grads[0]!,
      dScale: grads[1]!,
      dOffset: grads[2]!,
    };
  });
  const values: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(outs)) values[k] = (await t.data()) as Float32Array;
  tf.dispose(Object.values(outs));
  return values;
}

const CASES: Case[] = [
  { shape: [6, 5, 7, 3], shift: 0 },
  { shape: [4, 9, 9, 16], shift: 0 },
  { shape: [17, 8], shift: 0 },
  { shape: [5, 6, 6, 4], shift: 100 },
];

for (const backend of BACKENDS) {
  Deno.test({
    name: `fused batch norm on ${backend.name} matches tfjs's moments + batchNorm on cpu, ` +
      `values and gradients`,
    ignore: backend.ignore,
    async fn() {
      for (const c of CASES) {
        const label = `${c.shape.join("×")}${c.shift ? ` around ${c.shift}` : ""}`;
        await tf.setBackend(backend.name);
        assert.ok(hasBatchNormTraining(), `${backend.name} registers the fused kernels`);
        const before = tf.memory().numTensors;
        const actual = await results(c, true);
        assert.equal(tf.memory().numTensors, before, `${label}: no tensors leaked`);
        await tf.setBackend("cpu");
        assert.ok(!hasBatchNormTraining(), "cpu has no fused kernels");
        const expected = await results(c, false);
        for (const [name, e] of Object.entries(expected)) {
          const a = actual[name]!;
          assert.equal(a.length, e.length, name);
          let scale = 1e-6;
          for (const v of e) scale = Math.max(scale, Math.abs(v));
          const tol = (c.shift ? backend.shiftedTolerance : 2e-5) * scale;
          for (let i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i]! - e[i]!) <= tol)) {
              assert.fail(`${label} ${name}[${i}]: fused ${a[i]}, tfjs ${e[i]} (tolerance ${tol})`);
            }
          }
        }
      }
    },
  });
}

Deno.test({
  name: "fused batch norm's kernel names a per-channel parameter of the wrong length",
  async fn() {
    await tf.setBackend("wasm");
    const x = tf.zeros([2, 3, 3, 4]);
    const bad = tf.ones([3]) as tf.Tensor1D;
    assert.throws(
      () => batchNormTraining(x, bad, tf.zeros([4]) as tf.Tensor1D, 1e-3),
      /input 'scale' must be float32 with 4 values/,
    );
    tf.dispose([x, bad]);
  },
});
