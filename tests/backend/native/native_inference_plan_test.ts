import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerNativeBackend } from "../../../backend/native/register_native_backend.ts";
import { _loadDnnl } from "../../../backend/native/_dnnl.ts";
import {
  createNativeInferencePlan,
  type InferenceLayer,
} from "../../../backend/native/native_inference_plan.ts";
import { createModel } from "../../../models/create_model.ts";
import { forwardInference } from "../../../models/forward_inference.ts";
import { inferenceLayers } from "../../../models/inference_layers.ts";
import { MODEL_ZOO } from "../../../models/model_zoo.ts";
import { randomizeWeights } from "../../models/_randomize_weights.ts";

const status = await registerNativeBackend();
const dnnl = status.ok ? _loadDnnl() : "the native backend is unavailable";
const reason = !status.ok ? status.reason : typeof dnnl === "string" ? dnnl : "";
if (reason !== "") console.log(`skipping the native inference plan tests: ${reason}`);
const ignore = reason !== "";

/** Indices where `a` and `b` differ (=== , so 0 and -0 agree). */
function differences(a: Float32Array, b: Float32Array): number[] {
  assert.equal(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

for (const name of Object.keys(MODEL_ZOO)) {
  Deno.test({
    name: `a native plan of ${name} gives the tfjs model's values on native, bit for bit`,
    ignore,
    fn: async () => {
      await tf.setBackend("native");
      const size = MODEL_ZOO[name]!.minInputSize <= 8 ? 8 : 28;
      const model = createModel(name, { inputShape: [size, size, 1], numClasses: 10, seed: 3 });
      randomizeWeights(model, 7);
      const layers = inferenceLayers(model);
      assert.ok(typeof layers !== "string", `${name}: ${layers}`);
      const plan = createNativeInferencePlan(layers, [size, size, 1], [1, 3]);
      assert.ok(typeof plan !== "string", `${name}: ${plan}`);
      try {
        for (const n of [3, 1]) {
          const x = tf.randomUniform([n, size, size, 1], 0, 1, "float32", 11 + n);
          const xv = Float32Array.from(x.dataSync());
          const expected = tf.tidy(() => forwardInference(model, x).dataSync()) as Float32Array;
          const before = tf.memory().numTensors;
          const got: Float32Array = Float32Array.from(plan.run(xv, n));
          assert.equal(tf.memory().numTensors, before, "a plan makes no tensors");
          assert.equal(got.length, n * 10);
          assert.deepEqual(differences(got, expected), [], `${name} at batch ${n}`);
          x.dispose();
        }
      } finally {
        plan.dispose();
        model.dispose();
      }
    },
  });
}

Deno.test({
  name: "a native plan runs only the batch sizes it was built for, and reuses its output array",
  ignore,
  fn: () => {
    const layers: InferenceLayer[] = [{ kind: "flatten" }, {
      kind: "dense",
      kernel: Float32Array.from([1, 0, 0, 1, 2, 0, 0, 2]), // 4 inputs × 2 units
      units: 2,
      bias: Float32Array.from([0, 1]),
      activation: "softmax",
    }];
    const plan = createNativeInferencePlan(layers, [2, 2, 1], [1, 2]);
    assert.ok(typeof plan !== "string", String(plan));
    assert.equal(plan.outputSize, 2);
    // Logits: [1·1 + 3·2, 2·1 + 4·2 + 1] = [7, 11].
    const out = plan.run(Float32Array.from([1, 2, 3, 4]), 1);
    const e = Math.exp(-4);
    assert.ok(Math.abs(out[0]! - e / (1 + e)) < 1e-7 && Math.abs(out[1]! - 1 / (1 + e)) < 1e-7);
    const two = plan.run(new Float32Array(8), 2);
    assert.strictEqual(two.buffer, out.buffer, "one output array for every size");
    // Zero images: the logits are the bias, [0, 1], in both rows.
    const expected = [1 / (1 + Math.E), Math.E / (1 + Math.E)];
    [...two].forEach((v, i) => assert.ok(Math.abs(v - expected[i % 2]!) < 1e-7, `value ${i}`));
    assert.throws(() => plan.run(new Float32Array(12), 3), /batch sizes 1, 2, not 3/);
    plan.dispose();
  },
});

Deno.test({
  name: "a native plan says why when a layer does not fit its input",
  ignore,
  fn: () => {
    const dense: InferenceLayer = {
      kind: "dense",
      kernel: new Float32Array(6),
      units: 2,
      activation: "linear",
    };
    const wrongSize = createNativeInferencePlan([{ kind: "flatten" }, dense], [2, 2, 1], [1]);
    assert.match(String(wrongSize), /a dense kernel of 6 floats for 4 inputs/);
    const pool: InferenceLayer = {
      kind: "maxPool",
      poolSize: [2, 2],
      strides: [2, 2],
      padding: "valid",
    };
    const flatPool = createNativeInferencePlan([{ kind: "flatten" }, pool], [2, 2, 1], [1]);
    assert.match(String(flatPool), /a maxPool needs an image input, got \[4\]/);
  },
});
