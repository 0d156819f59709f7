/**
 * Counts (true, predicted) pairs: `matrix[t][p]` is how many rows of class `t` were predicted as
 * `p`. Rows with a label outside `0..numClasses-1` (e.g. -1 for unlabelled rows) are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { confusionMatrix } from "./confusion_matrix.ts";
 * const m = confusionMatrix([0, 1, 1], [0, 1, 0], 2);
 * assert.ok(m[1]![0] === 1 && m[1]![1] === 1 && m[0]![0] === 1);
 * ```
 */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): number[][] {
  if (trueLabels.length !== predicted.length) {
    throw new RangeError(
      `confusionMatrix needs as many predictions as labels, got ${predicted.length} and ${trueLabels.length}`,
    );
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) continue;
    matrix[t]![p]!++;
  }
  return matrix;
}
