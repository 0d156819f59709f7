import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { type LoadedRun, loadRun } from "../../models/model_io.ts";
import { createModel } from "../../models/create_model.ts";
import { randomizeWeights } from "../models/_randomize_weights.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
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

const native = await registerNativeBackend();
if (!native.ok) console.log(`skipping the native plan tests: ${native.reason}`);

/** A run of `count` compact-cnn models with seeded random weights and these temperatures. */
async function cnnRun(temperatures: number[]): Promise<LoadedRun> {
  const { manifest } = await loadRun(FIXTURE_MODEL);
  const models = temperatures.map((_, m) => {
    const model = createModel("compact-cnn", { inputShape: [28, 28, 1], numClasses: 10, seed: m });
    randomizeWeights(model, 100 * m, 0.3);
    return model;
  });
  return {
    dir: "memory",
    manifest: { ...manifest, architecture: "compact-cnn" },
    models,
    temperatures,
  };
}

Deno.test({
  name: "on native, createModelPredictor runs a native plan with tfjs's probabilities, bit for bit",
  ignore: !native.ok,
  fn: async () => {
    await selectBackend("native");
    const run = await cnnRun([1]);
    const sizes = [1, 4, 8];
    const plan = createModelPredictor(run, sizes);
    const viaTfjs = createModelPredictor(run, sizes, { nativePlan: false });
    assert.equal(plan.path, "native plan");
    assert.equal(viaTfjs.path, "tfjs (turned off)");
    const { pixels } = mnistTest(10);
    const x = new Float32Array(10 * 784);
    pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
    // 3 runs padded to 4, 8 at its size, 10 (above every size) through tfjs.
    for (const n of [1, 3, 8, 10]) {
      const input = x.subarray(0, n * 784);
      const before = tf.memory().numTensors;
      const got = Float32Array.from(await plan(input, n));
      if (n <= 8) assert.equal(tf.memory().numTensors, before, "a plan call makes no tensor");
      const expected = await viaTfjs(input, n);
      assert.equal(got.length, n * 10);
      got.forEach((p, i) => assert.ok(p === expected[i], `batch ${n}, value ${i}: ${p}`));
    }
    run.models.forEach((m) => m.dispose());
  },
});

Deno.test({
  name: "on native, a calibrated ensemble's plan answers what the tfjs path answers",
  ignore: !native.ok,
  fn: async () => {
    await selectBackend("native");
    const run = await cnnRun([1, 1.7]);
    const plan = createModelPredictor(run, [2]);
    assert.equal(plan.path, "native plan");
    const viaTfjs = createModelPredictor(run, [2], { nativePlan: false });
    const { pixels } = mnistTest(2);
    const x = new Float32Array(2 * 784);
    pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
    const got = await plan(x, 2);
    const expected = await viaTfjs(x, 2);
    got.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `value ${i}`));
    // The second member's T = 1.7 counts: the plain mean differs.
    const raw = createModelPredictor({ ...run, temperatures: [1, 1] }, [2]);
    const plain = await raw(x, 2);
    assert.ok(plain.some((p, i) => Math.abs(p - got[i]!) > 1e-4), "the temperature is applied");
    run.models.forEach((m) => m.dispose());
  },
});

Deno.test("createModelPredictor says why it runs through tfjs on another backend", async () => {
  await selectBackend("wasm");
  const run = await loadRun(FIXTURE_MODEL);
  assert.equal(createModelPredictor(run).path, "tfjs (backend wasm)");
  run.models.forEach((m) => m.dispose());
});
