import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { loadRun } from "../../models/model_io.ts";
import { createModelPredictor } from "../../server/create_model_predictor.ts";
import { FIXTURE_MODEL, mnistTest } from "./_fixture.ts";

Deno.test("createModelPredictor answers the model's probabilities and leaves no tensor behind", async () => {
  await selectBackend("wasm");
  const run = await loadRun(FIXTURE_MODEL);
  const predict = createModelPredictor(run);
  const { pixels } = mnistTest(5);
  const x = new Float32Array(5 * 784);
  pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
  await predict(x.subarray(0, 784), 1); // warm-up
  const before = tf.memory().numTensors;
  const probs = await predict(x, 5);
  assert.equal(tf.memory().numTensors, before, "no tensor outlives a call");
  const expected = tf.tidy(() =>
    (run.models[0]!.predict(tf.tensor4d(x, [5, 28, 28, 1])) as tf.Tensor).dataSync()
  );
  assert.equal(probs.length, 50);
  probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `value ${i}`));
  // The input buffer may be reused by the next call: the answer does not change with it.
  const copy = Float32Array.from(probs);
  x.fill(0);
  await predict(x, 5);
  assert.deepEqual(probs, copy);
});
