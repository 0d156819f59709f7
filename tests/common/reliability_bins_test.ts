import assert from "node:assert/strict";
import { DEFAULT_CALIBRATION_BINS, reliabilityBins } from "../../common/reliability_bins.ts";
import { syntheticPredictions } from "./_calibration_fixture.ts";

Deno.test("reliabilityBins makes 15 equal-width bins by default that hold every row once", () => {
  const { probs, labels } = syntheticPredictions({ rows: 1000, sharpen: 2, seed: 8 });
  const bins = reliabilityBins(probs, labels, 10);
  assert.equal(bins.length, DEFAULT_CALIBRATION_BINS);
  assert.equal(bins.reduce((n, b) => n + b.count, 0), 1000);
  bins.forEach((b, m) => {
    assert.ok(Math.abs(b.lower - m / 15) < 1e-12 && Math.abs(b.upper - (m + 1) / 15) < 1e-12);
    if (b.count > 0) assert.ok(b.confidence > b.lower && b.confidence <= b.upper);
    else assert.ok(Number.isNaN(b.confidence) && Number.isNaN(b.accuracy));
  });
});

Deno.test("reliabilityBins puts a confidence on a bin edge in the lower bin, and 1 in the last", () => {
  const bins = reliabilityBins(new Float32Array([0.5, 0.5, 1, 0, 0.75, 0.25]), [1, 0, 0], 2, 4);
  assert.deepEqual(bins.map((b) => b.count), [0, 1, 1, 1]);
  // A tie predicts the first class: 0.5/0.5 with label 1 counts as wrong; the others are right.
  assert.deepEqual(bins.slice(1).map((b) => b.accuracy), [0, 1, 1]);
});
