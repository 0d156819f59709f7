import assert from "node:assert/strict";
import { applyTemperature } from "../../common/apply_temperature.ts";
import { syntheticPredictions } from "./_calibration_fixture.ts";

const argmax = (row: ArrayLike<number>) => {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
  return best;
};

Deno.test("applyTemperature with T = 1 returns the same probabilities", () => {
  const { probs } = syntheticPredictions({ rows: 200, sharpen: 2, seed: 5 });
  const out = applyTemperature(probs, 10, 1);
  for (let i = 0; i < probs.length; i++) assert.ok(Math.abs(out[i]! - probs[i]!) < 1e-6);
});

Deno.test("applyTemperature undoes a known sharpening and keeps every row's argmax", () => {
  const sharp = syntheticPredictions({ rows: 300, sharpen: 3, seed: 6 });
  const plain = syntheticPredictions({ rows: 300, sharpen: 1, seed: 6 });
  const out = applyTemperature(sharp.probs, 10, 3);
  for (let r = 0; r < 300; r++) {
    const row = out.subarray(r * 10, r * 10 + 10);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(argmax(row), argmax(sharp.probs.subarray(r * 10, r * 10 + 10)));
    for (let k = 0; k < 10; k++) assert.ok(Math.abs(row[k]! - plain.probs[r * 10 + k]!) < 1e-4);
  }
});

Deno.test("applyTemperature softens a one-hot row with zeros to finite probabilities", () => {
  const out = applyTemperature(new Float32Array([1, 0, 0]), 3, 2);
  assert.ok(out.every(Number.isFinite));
  assert.ok(out[0]! > 0.999 && out[1]! === out[2]!);
});

Deno.test("applyTemperature refuses a temperature that is not positive and bad probabilities", () => {
  const probs = new Float32Array([0.5, 0.5]);
  for (const t of [0, -1, NaN, Infinity]) {
    assert.throws(() => applyTemperature(probs, 2, t), /temperature must be a positive number/);
  }
  assert.throws(() => applyTemperature(new Float32Array([0.5, 1.5]), 2, 1), /row 1, class 1/);
  assert.throws(() => applyTemperature(new Float32Array([1, 0, 0]), 2, 1), /whole number of rows/);
});
