/**
 * One-vs-rest ROC-AUC per class from softmax outputs (`probs` row-major, `numClasses` per row).
 * Computed exactly as the Mann-Whitney U statistic with average ranks for ties, which equals the
 * area under the ROC curve. A class with no positive or no negative rows has no ROC curve: `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { oneVsRestRocAuc } from "./roc_auc.ts";
 * const auc = oneVsRestRocAuc(new Float32Array([0.9, 0.1, 0.2, 0.8, 0.6, 0.4]), [0, 1, 1], 2);
 * assert.ok(auc[0] === 1 && auc[1] === 1);
 * ```
 */
export function oneVsRestRocAuc(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): (number | null)[] {
  const n = labels.length;
  if (probs.length !== n * numClasses) {
    throw new RangeError(
      `oneVsRestRocAuc expected ${
        n * numClasses
      } probabilities (${n} rows × ${numClasses}), got ${probs.length}`,
    );
  }
  const order = new Uint32Array(n);
  const scores = new Float64Array(n);
  const result: (number | null)[] = [];
  for (let c = 0; c < numClasses; c++) {
    let positives = 0;
    for (let i = 0; i < n; i++) {
      scores[i] = probs[i * numClasses + c]!;
      order[i] = i;
      if (labels[i] === c) positives++;
    }
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) {
      result.push(null);
      continue;
    }
    order.sort((a, b) => scores[a]! - scores[b]!);
    // Sum of the (1-based, tie-averaged) ranks of the positive rows.
    let rankSum = 0;
    for (let start = 0; start < n;) {
      let end = start + 1;
      while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
      const averageRank = (start + 1 + end) / 2;
      for (let j = start; j < end; j++) if (labels[order[j]!] === c) rankSum += averageRank;
      start = end;
    }
    result.push((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
  }
  return result;
}
