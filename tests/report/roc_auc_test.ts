import assert from "node:assert/strict";
import { oneVsRestRocAuc } from "../../report/roc_auc.ts";

Deno.test("oneVsRestRocAuc equals the fraction of correctly ordered positive/negative pairs", () => {
  // Class 0 scores: positives (label 0) 0.9, 0.4; negatives 0.6, 0.2, 0.1.
  // Pairs (pos > neg): 0.9 beats all 3; 0.4 beats 0.2, 0.1 → 5 of 6.
  const p0 = [0.9, 0.4, 0.6, 0.2, 0.1];
  const labels = [0, 0, 1, 1, 2];
  const probs = new Float32Array(p0.flatMap((p) => [p, (1 - p) / 2, (1 - p) / 2]));
  const auc = oneVsRestRocAuc(probs, labels, 3);
  assert.ok(Math.abs(auc[0]! - 5 / 6) < 1e-6);
});

Deno.test("oneVsRestRocAuc counts ties as half and gives null for a class that never appears", () => {
  // Class 1 scores: positive 0.5; negatives 0.5 (tie) and 0.2 → (0.5 + 1) / 2 = 0.75.
  const probs = new Float32Array([0.5, 0.5, 0, 0.5, 0.5, 0, 0.8, 0.2, 0]);
  const auc = oneVsRestRocAuc(probs, [1, 0, 0], 3);
  assert.equal(auc[1], 0.75);
  assert.equal(auc[2], null);
});

Deno.test("oneVsRestRocAuc rejects a probability array of the wrong length", () => {
  assert.throws(() => oneVsRestRocAuc(new Float32Array(5), [0, 1], 3), /expected 6 probabilities/);
});
