import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { applyTemperature } from "../../common/apply_temperature.ts";
import { expectedCalibrationError } from "../../common/expected_calibration_error.ts";
import { fitTemperature } from "../../common/fit_temperature.ts";
import { logLoss } from "../../common/log_loss.ts";
import { mnistSlice } from "../predict/_tiny_run.ts";
import { syntheticPredictions } from "./_calibration_fixture.ts";

Deno.test("fitTemperature finds T ≈ 1 on calibrated predictions", () => {
  const { probs, labels, numClasses } = syntheticPredictions({ rows: 6000, sharpen: 1, seed: 1 });
  const fit = fitTemperature(probs, labels, numClasses);
  assert.ok(Math.abs(fit.temperature - 1) < 0.06, `T = ${fit.temperature}`);
  assert.ok(fit.nllBefore - fit.nllAfter < 1e-3, `${fit.nllBefore} → ${fit.nllAfter}`);
  assert.equal(fit.atBound, false);
});

Deno.test("fitTemperature recovers the temperature of over- and under-confident predictions", () => {
  for (const sharpen of [3, 0.5]) {
    const data = syntheticPredictions({ rows: 6000, sharpen, seed: 2 });
    const fit = fitTemperature(data.probs, data.labels, data.numClasses);
    assert.ok(
      Math.abs(fit.temperature / data.trueTemperature - 1) < 0.08,
      `sharpen ${sharpen}: T = ${fit.temperature}`,
    );
    assert.ok(fit.nllAfter < fit.nllBefore);
  }
});

Deno.test("fitTemperature fitted on one split lowers ECE and NLL on another split", () => {
  const valid = syntheticPredictions({ rows: 4000, sharpen: 2.5, seed: 3 });
  const test = syntheticPredictions({ rows: 4000, sharpen: 2.5, seed: 4 });
  const { temperature } = fitTemperature(valid.probs, valid.labels, valid.numClasses);
  const calibrated = applyTemperature(test.probs, test.numClasses, temperature);
  const before = expectedCalibrationError(test.probs, test.labels, 10);
  const after = expectedCalibrationError(calibrated, test.labels, 10);
  assert.ok(before > 0.1, `the fixture should be clearly over-confident, ECE ${before}`);
  assert.ok(after < before / 4, `ECE ${before} → ${after}`);
  assert.ok(logLoss(calibrated, test.labels, 10) < logLoss(test.probs, test.labels, 10));
});

Deno.test("fitTemperature lowers ECE and NLL of a small tfjs model that memorised its data", async () => {
  await tf.setBackend("cpu");
  const train = await mnistSlice(0, 300, "train");
  const valid = await mnistSlice(300, 700, "train");
  const test = await mnistSlice(1000, 1000, "train");
  const x = (s: { pixels: Uint8Array }) =>
    tf.tensor2d(s.pixels, [s.pixels.length / 784, 784]).div(255);
  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [784],
        units: 64,
        activation: "relu",
        kernelInitializer: seeded(1),
      }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: seeded(2) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy" });
  const xs = x(train), ys = tf.tensor1d(train.labels, "float32");
  // 300 images, 25 epochs: the model fits its training set perfectly and gets over-confident.
  await model.fit(xs, ys, { epochs: 25, batchSize: 50, shuffle: false, verbose: 0 });
  const predict = (s: { pixels: Uint8Array }) =>
    tf.tidy(() => (model.predict(x(s)) as tf.Tensor).dataSync() as Float32Array);
  const validProbs = predict(valid), testProbs = predict(test);
  tf.dispose([xs, ys]);
  model.dispose();

  const fit = fitTemperature(validProbs, valid.labels, 10);
  assert.ok(fit.temperature > 1.2 && !fit.atBound, `T = ${fit.temperature}`);
  const calibrated = applyTemperature(testProbs, 10, fit.temperature);
  const eceBefore = expectedCalibrationError(testProbs, test.labels, 10);
  const eceAfter = expectedCalibrationError(calibrated, test.labels, 10);
  console.log(
    `T ${fit.temperature.toFixed(3)}, test ECE ${eceBefore.toFixed(4)} → ${eceAfter.toFixed(4)}`,
  );
  assert.ok(eceAfter < eceBefore / 2, `ECE ${eceBefore} → ${eceAfter}`);
  assert.ok(logLoss(calibrated, test.labels, 10) < logLoss(testProbs, test.labels, 10));
});

Deno.test("fitTemperature says when the optimum is at the edge of its range", () => {
  // Every row right and sure: ever lower temperatures keep lowering the loss.
  const fit = fitTemperature(new Float32Array([0.9, 0.1, 0.2, 0.8]), [0, 1], 2);
  assert.equal(fit.atBound, true);
  assert.ok(Math.abs(fit.temperature - 0.05) < 1e-3, `T = ${fit.temperature}`);
});

Deno.test("fitTemperature names the row of a bad label or probability", () => {
  assert.throws(
    () => fitTemperature(new Float32Array([0.5, 0.5, 1, 0]), [0, 2], 2),
    /row 2 has label 2/,
  );
  assert.throws(
    () => fitTemperature(new Float32Array([0.5, 0.5, NaN, 0]), [0, 1], 2),
    /row 2, class 0 has probability NaN/,
  );
  assert.throws(() => fitTemperature(new Float32Array([0.5, 0.5]), [0, 1], 2), /expected 4/);
  assert.throws(() => fitTemperature(new Float32Array([]), [], 2), /at least one/);
});

Deno.test("fitTemperature takes float32 rounding above 1 (knn's vote gave 1.0000001), not 1.01", () => {
  const probs = new Float32Array([1.0000001, 0, 0.3, 0.7, 0.6, 0.4]);
  assert.ok(probs[0]! > 1, "the fixture must hold a value above 1");
  const fit = fitTemperature(probs, [0, 1, 1], 2);
  assert.ok(Number.isFinite(fit.temperature) && fit.nllAfter <= fit.nllBefore);
  assert.throws(
    () => fitTemperature(new Float32Array([1.01, 0, 0.3, 0.7]), [0, 1], 2),
    /row 1, class 0 has probability 1\.00999/,
  );
});
