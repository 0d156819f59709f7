import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { loadRun } from "../../models/model_io.ts";
import { createModelPredictor } from "../../server/create_model_predictor.ts";
import { applyTemperature } from "../../common/apply_temperature.ts";
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

Deno.test("createModelPredictor answers the calibrated probabilities of a run with a temperature", async () => {
  await selectBackend("wasm");
  const dir = await Deno.makeTempDir({ prefix: "digits-calibrated-" });
  for (const f of ["model.json", "weights.bin", "manifest.json"]) {
    await Deno.copyFile(`${FIXTURE_MODEL}/${f}`, `${dir}/${f}`);
  }
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  manifest.calibration = {
    method: "temperature",
    temperature: 2.5,
    fittedOn: "validation",
    rows: 100,
    nllBefore: 0.3,
    nllAfter: 0.2,
    eceBefore: 0.05,
    eceAfter: 0.02,
    bins: 15,
    atBound: false,
  };
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest));
  const run = await loadRun(dir);
  assert.deepEqual(run.temperatures, [2.5]);
  const { pixels } = mnistTest(3);
  const x = new Float32Array(3 * 784);
  pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
  const before = tf.memory().numTensors;
  const probs = await createModelPredictor(run)(x, 3);
  assert.equal(tf.memory().numTensors, before, "no tensor outlives a call");
  const raw = tf.tidy(() =>
    (run.models[0]!.predict(tf.tensor4d(x, [3, 28, 28, 1])) as tf.Tensor).dataSync()
  );
  const expected = applyTemperature(raw, 10, 2.5);
  probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-5, `value ${i}`));
  assert.ok(Math.max(...probs) < Math.max(...raw), "T > 1 softens the top probability");
  run.models.forEach((m) => m.dispose());
});

Deno.test("createModelPredictor runs a batch at the next of its sizes and answers its own rows", async () => {
  await selectBackend("wasm");
  const run = await loadRun(FIXTURE_MODEL);
  const predict = createModelPredictor(run, [1, 8]);
  const { pixels } = mnistTest(8);
  const x = new Float32Array(8 * 784);
  pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
  await predict(x, 8); // leaves 8 images of data in the padding buffer
  const batches: number[] = [];
  let probs: Float32Array = new Float32Array(0);
  const profile = await tf.profile(async () => {
    probs = await predict(x.subarray(0, 5 * 784), 5);
  });
  for (const k of profile.kernels) batches.push(k.inputShapes[0]?.[0] ?? -1);
  assert.equal(batches[0], 8, `the model ran at batch 8 (kernels: ${batches})`);
  assert.equal(probs.length, 50);
  const expected = tf.tidy(() =>
    (run.models[0]!.predict(tf.tensor4d(x.subarray(0, 5 * 784), [5, 28, 28, 1])) as tf.Tensor)
      .dataSync()
  );
  probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `value ${i}`));
  const lone = await predict(x.subarray(0, 784), 1);
  assert.equal(lone.length, 10, "a size in the list runs as it is");
  run.models.forEach((m) => m.dispose());
});
