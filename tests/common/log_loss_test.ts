import assert from "node:assert/strict";
import { logLoss } from "../../common/log_loss.ts";

Deno.test("logLoss is the mean negative log of the true class probability", () => {
  const loss = logLoss(new Float32Array([0.25, 0.75, 0.5, 0.5]), [1, 0], 2);
  assert.ok(Math.abs(loss - (-Math.log(0.75) - Math.log(0.5)) / 2) < 1e-7);
});

Deno.test("logLoss clips a zero probability to a finite loss", () => {
  const loss = logLoss(new Float32Array([1, 0]), [1], 2);
  assert.ok(Number.isFinite(loss) && Math.abs(loss - -Math.log(1e-7)) < 1e-6);
});

Deno.test("logLoss names the row with an out-of-range label", () => {
  assert.throws(() => logLoss(new Float32Array([1, 0, 1, 0]), [0, 5], 2), /row 2 has label 5/);
});
