import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../models/create_model.ts";
import { forwardInference } from "../../models/forward_inference.ts";
import { MODEL_ZOO } from "../../models/model_zoo.ts";
import { randomizeWeights } from "./_randomize_weights.ts";

await tf.setBackend("cpu");

for (const name of Object.keys(MODEL_ZOO)) {
  Deno.test(`forwardInference gives predict's exact values for ${name} in inference mode`, () => {
    const size = MODEL_ZOO[name]!.minInputSize <= 8 ? 8 : 28;
    const model = createModel(name, { inputShape: [size, size, 1], numClasses: 10, seed: 3 });
    randomizeWeights(model, 7);
    const x = tf.randomUniform([3, size, size, 1], 0, 1, "float32", 11);
    const slow = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    const before = tf.memory().numTensors;
    model.predict = () => assert.fail("a Sequential model runs as its layers' calls");
    const fast = tf.tidy(() => forwardInference(model, x).dataSync());
    assert.equal(tf.memory().numTensors, before, "no tensor outlives the tidy");
    assert.equal(fast.length, 30);
    assert.deepEqual(fast, slow);
    // Twice the same: dropout is off (a training-mode pass would differ between calls).
    assert.deepEqual(tf.tidy(() => forwardInference(model, x).dataSync()), fast);
    x.dispose();
    model.dispose();
  });
}

Deno.test("forwardInference runs a functional model through predict", () => {
  const input = tf.input({ shape: [4] });
  const a = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({
    inputs: input,
    outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor,
  });
  const x = tf.randomNormal([2, 4], 0, 1, "float32", 5);
  const slow = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync());
  const predict = model.predict.bind(model);
  let calls = 0;
  model.predict = (...args) => {
    calls++;
    return predict(...args);
  };
  const fast = tf.tidy(() => forwardInference(model, x).arraySync());
  assert.equal(calls, 1);
  assert.deepEqual(fast, slow);
  x.dispose();
  model.dispose();
});
