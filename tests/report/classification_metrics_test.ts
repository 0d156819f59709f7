import assert from "node:assert/strict";
import { classificationMetrics } from "../../report/classification_metrics.ts";
import { confusionMatrix } from "../../report/confusion_matrix.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

Deno.test("classificationMetrics matches a hand-computed 3-class case with a class that never appears", () => {
  // true:      0 0 0 1 1 1 1
  // predicted: 0 0 1 1 1 2 0     (class 2 is predicted once but never appears)
  const m = confusionMatrix([0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 2, 0], 3);
  assert.deepEqual(m, [[2, 1, 0], [1, 2, 1], [0, 0, 0]]);
  const r = classificationMetrics(m);
  close(r.accuracy, 4 / 7);
  assert.equal(r.total, 7);
  // class 0: TP 2, predicted 3, support 3
  close(r.perClass[0]!.precision, 2 / 3);
  close(r.perClass[0]!.recall, 2 / 3);
  close(r.perClass[0]!.f1, 2 / 3);
  // class 1: TP 2, predicted 3, support 4 → F1 = 2·(2/3)(1/2)/(2/3+1/2) = 4/7
  close(r.perClass[1]!.precision, 2 / 3);
  close(r.perClass[1]!.recall, 1 / 2);
  close(r.perClass[1]!.f1, 4 / 7);
  // class 2: never appears, predicted once: all zero, support 0
  assert.deepEqual(r.perClass[2], { precision: 0, recall: 0, f1: 0, support: 0 });
  // macro counts the empty class; weighted does not (support 0)
  close(r.macro.precision, (2 / 3 + 2 / 3 + 0) / 3);
  close(r.macro.recall, (2 / 3 + 1 / 2) / 3);
  close(r.macro.f1, (2 / 3 + 4 / 7) / 3);
  close(r.weighted.precision, (3 * 2 / 3 + 4 * 2 / 3) / 7);
  close(r.weighted.recall, (3 * 2 / 3 + 4 * 1 / 2) / 7);
  close(r.weighted.f1, (3 * 2 / 3 + 4 * 4 / 7) / 7);
});

Deno.test("confusionMatrix skips unlabelled rows and rejects length mismatches", () => {
  assert.deepEqual(confusionMatrix([-1, 1], [0, 1], 2), [[0, 0], [0, 1]]);
  assert.throws(() => confusionMatrix([0], [0, 1], 2), RangeError);
});

Deno.test("classificationMetrics of an empty matrix is all zeros", () => {
  const r = classificationMetrics([[0, 0], [0, 0]]);
  assert.equal(r.accuracy, 0);
  assert.equal(r.macro.f1, 0);
  assert.equal(r.weighted.f1, 0);
});
