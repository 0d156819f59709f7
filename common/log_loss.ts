/** Probabilities are clipped to [EPSILON, 1] before the log, as Keras does, so a 0 is finite. */
const EPSILON = 1e-7;

/**
 * Mean categorical cross-entropy of softmax outputs (`probs` row-major, `numClasses` per row)
 * against integer labels: the `loss` that training reports (train/evaluate_examples.ts) and the
 * report shows (report/evaluation_accumulator.ts), one definition for both.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { logLoss } from "./log_loss.ts";
 * const loss = logLoss(new Float32Array([0.5, 0.5, 1, 0]), [1, 0], 2);
 * assert.ok(Math.abs(loss - Math.LN2 / 2) < 1e-9);
 * ```
 */
export function logLoss(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number {
  const n = labels.length;
  if (probs.length !== n * numClasses) {
    throw new RangeError(
      `logLoss expected ${
        n * numClasses
      } probabilities (${n} rows × ${numClasses}), got ${probs.length}`,
    );
  }
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= numClasses) {
      throw new RangeError(
        `logLoss: row ${i + 1} has label ${label}, expected 0..${numClasses - 1}`,
      );
    }
    sum -= Math.log(Math.max(EPSILON, Math.min(1, probs[i * numClasses + label]!)));
  }
  return sum / n;
}
