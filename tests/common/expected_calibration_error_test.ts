import assert from "node:assert/strict";
import { expectedCalibrationError } from "../../common/expected_calibration_error.ts";
import { syntheticPredictions } from "./_calibration_fixture.ts";

Deno.test("expectedCalibrationError weighs each bin's gap by its share of rows", () => {
  // Bin (0.8, 0.866]: two rows at 0.85, one right → gap 0.35; bin (0.933, 1]: one row at 1, right.
  const probs = new Float32Array([0.85, 0.15, 0.85, 0.15, 1, 0]);
  const ece = expectedCalibrationError(probs, [0, 1, 0], 2);
  assert.ok(Math.abs(ece - (2 / 3) * 0.35) < 1e-6, `ECE ${ece}`);
});

Deno.test("expectedCalibrationError is 0 where accuracy equals confidence in every bin", () => {
  // Four rows at 0.75, three right; two rows at 0.5, one right.
  const probs = new Float32Array([
    0.75,
    0.25,
    0.75,
    0.25,
    0.75,
    0.25,
    0.75,
    0.25,
    0.5,
    0.5,
    0.5,
    0.5,
  ]);
  assert.ok(expectedCalibrationError(probs, [0, 0, 0, 1, 0, 1], 2) < 1e-7);
});

Deno.test("expectedCalibrationError is small for calibrated data and large for over-confident", () => {
  const calibrated = syntheticPredictions({ rows: 5000, sharpen: 1, seed: 7 });
  const sharp = syntheticPredictions({ rows: 5000, sharpen: 3, seed: 7 });
  const low = expectedCalibrationError(calibrated.probs, calibrated.labels, 10);
  const high = expectedCalibrationError(sharp.probs, sharp.labels, 10);
  assert.ok(low < 0.03, `calibrated ECE ${low}`);
  assert.ok(high > 0.15, `over-confident ECE ${high}`);
});

Deno.test("expectedCalibrationError is 0 for no rows and names a bad bin count", () => {
  assert.equal(expectedCalibrationError(new Float32Array([]), [], 10), 0);
  assert.throws(
    () => expectedCalibrationError(new Float32Array([1, 0]), [0], 2, 0),
    /bins must be/,
  );
});
