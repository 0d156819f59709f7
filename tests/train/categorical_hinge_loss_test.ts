import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { categoricalHingeLoss } from "../../train/categorical_hinge_loss.ts";

await tf.setBackend("cpu");

/** The Crammer–Singer hinge of one row, written out. */
function hinge(label: number, scores: number[]): number {
  const others = Math.max(...scores.filter((_, j) => j !== label));
  return Math.max(0, 1 + others - scores[label]!);
}

Deno.test("categoricalHingeLoss is the mean Crammer–Singer hinge, also when every other score is negative", () => {
  const rows = [[0.3, -2, 1.1], [-4, -1, -3], [5, -1, 0], [-0.5, -0.6, -0.1]];
  const labels = [2, 1, 0, 0];
  const expected = rows.reduce((s, r, i) => s + hinge(labels[i]!, r), 0) / rows.length;
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 3));
  const s = tf.tensor2d(rows);
  const loss = categoricalHingeLoss(y, s);
  assert.ok(
    Math.abs(loss.dataSync()[0]! - expected) < 1e-6,
    `${loss.dataSync()[0]} vs ${expected}`,
  );
  // tfjs's categoricalHinge takes max((1 − y)·s), i.e. 0 for the true class: row 2 would give
  // max(0, 1 + 0 − (−1)) = 2 instead of max(0, 1 + (−3) − (−1)) = 0.
  assert.equal(hinge(1, rows[1]!), 0);
  tf.dispose([y, s, loss]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("categoricalHingeLoss has the subgradient of the hinge: −1 on the truth, +1 on the runner-up", () => {
  const y = tf.tensor2d([[1, 0, 0]]);
  const s = tf.tensor2d([[0.5, 0.2, -1]]);
  const grad = tf.grad((scores: tf.Tensor) => categoricalHingeLoss(y, scores))(s);
  assert.deepEqual(Array.from(grad.dataSync()), [-1, 1, 0]);
  tf.dispose([y, s, grad]);
});
