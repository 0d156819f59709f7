import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "../../models/batch_normalization.ts";
import { loadRun, saveRun } from "../../models/model_io.ts";
import { WeightAverage } from "../../train/weight_average.ts";
import { tempDir, tinyManifest } from "../predict/_tiny_run.ts";

await tf.setBackend("cpu");

/** A small model with trainable weights and BatchNorm moving statistics. */
function smallModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    units: 3,
    inputShape: [4],
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
  }));
  model.add(batchNormalization({ momentum: 0.5 }));
  model.add(tf.layers.dense({
    units: 2,
    activation: "softmax",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  }));
  return model;
}

const values = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** Trains `steps` SGD steps, recording the weights after each. */
async function trainSteps(model: tf.LayersModel, ema: WeightAverage, steps: number) {
  const seen: number[][][] = [];
  const x = tf.randomUniform([8, 4], 0, 1, "float32", 5);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], "int32"), 2));
  for (let s = 0; s < steps; s++) {
    await model.trainOnBatch(x, y);
    ema.update();
    seen.push(values(model));
  }
  tf.dispose([x, y]);
  return seen;
}

function assertClose(actual: number[][], expected: number[][], what: string): void {
  actual.forEach((w, i) =>
    w.forEach((v, j) => assert.ok(Math.abs(v - expected[i]![j]!) < 1e-5, `${what} [${i}][${j}]`))
  );
}

Deno.test("WeightAverage equals the hand-computed average, with and without the warm-up", async () => {
  for (const warmup of [false, true]) {
    const model = smallModel();
    model.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
    const start = values(model);
    const ema = new WeightAverage(model, { decay: 0.9, warmup });
    const seen = await trainSteps(model, ema, 4);
    // By hand: a_0 = w_0; a_{n+1} = d_n·a_n + (1 − d_n)·w_{n+1}, d_n = min(0.9, (1+n)/(10+n)).
    let expected = start;
    seen.forEach((w, n) => {
      const d = warmup ? Math.min(0.9, (1 + n) / (10 + n)) : 0.9;
      expected = expected.map((a, i) => a.map((v, j) => d * v + (1 - d) * w[i]![j]!));
    });
    assert.equal(ema.updates, 4);
    // Every weight is averaged: kernels, biases and BatchNorm's moving mean and variance.
    assert.equal(expected.length, 8);
    ema.swapIn();
    assertClose(values(model), expected, `warmup ${warmup}`);
    ema.swapOut();
    ema.dispose();
    model.dispose();
  }
});

Deno.test("WeightAverage swaps out to the live weights bit for bit, leaks no tensors, and is what gets saved", async () => {
  const model = smallModel();
  const optimizer = tf.train.adam(0.05);
  model.compile({ optimizer, loss: "categoricalCrossentropy" });
  const ema = new WeightAverage(model, { decay: 0.99 });
  await trainSteps(model, ema, 3);
  const live = values(model);
  const before = tf.memory().numTensors;
  const dir = await tempDir();
  const averaged = await ema.withAveraged(async () => {
    await saveRun(dir, model, { ...tinyManifest("ema"), inputShape: [4, 1, 1] });
    return values(model);
  });
  assert.deepEqual(values(model), live);
  assert.notDeepEqual(averaged, live);
  ema.update();
  ema.swapIn();
  ema.swapOut();
  assert.equal(tf.memory().numTensors, before);
  const loaded = await loadRun(dir);
  assert.deepEqual(values(loaded.models[0]!), averaged);
  loaded.models[0]!.dispose();
  // Misuse is an error that says what to do.
  ema.swapIn();
  assert.throws(() => ema.update(), /while the averages are swapped in: swapOut\(\) first/);
  ema.swapOut();
  assert.throws(() => ema.swapOut(), /swapOut\(\) without swapIn\(\)/);
  assert.throws(() => new WeightAverage(model, { decay: 1 }), /decay must lie in \[0, 1\)/);
  ema.dispose();
  model.dispose();
  optimizer.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("WeightAverage state() and restore() continue an average; trainableOnly skips the BatchNorm statistics", async () => {
  const model = smallModel();
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
  const a = new WeightAverage(model, { decay: 0.9 });
  await trainSteps(model, a, 2);
  const b = new WeightAverage(model, { decay: 0.9 });
  b.restore(a.state());
  assert.equal(b.updates, 2);
  a.update();
  b.update();
  assert.deepEqual(a.state(), b.state());
  assert.throws(() => b.restore({ updates: 0, values: [] }), /saved EMA has 0 weights/);
  const trainable = new WeightAverage(model, { decay: 0.9, trainableOnly: true });
  assert.equal(trainable.state().values.length, 6);
  [a, b, trainable].forEach((e) => e.dispose());
  model.dispose();
});
