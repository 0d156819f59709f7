import { Random } from "../pipeline/random.ts";

/** One split of row indices into training and validation rows (both in input order). */
export interface FoldSplit {
  train: number[];
  valid: number[];
}

/**
 * K-fold cross-validation splits of `n` rows: a seeded shuffle deals the rows into `k` folds whose
 * sizes differ by at most one; split `i` validates on fold `i` and trains on the others, so every
 * row is validated exactly once. With `labels`, each class is dealt separately (stratified folds).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { foldSplits } from "./fold_splits.ts";
 * const splits = foldSplits(10, 5, 1);
 * assert.ok(splits.length === 5 && splits.every((s) => s.valid.length === 2 && s.train.length === 8));
 * ```
 */
export function foldSplits(
  n: number,
  k: number,
  seed: number,
  labels?: ArrayLike<number>,
): FoldSplit[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`--folds must be at least 2, got ${k}`);
  if (n < k) throw new RangeError(`${k}-fold cross-validation needs at least ${k} rows, got ${n}`);
  const random = new Random(Random.derive(seed, 0xf01d));
  const fold = new Int32Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i]! : 0;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  // Deal each group round-robin, continuing where the previous group stopped so fold sizes
  // stay within one of each other.
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    for (const i of random.shuffle(groups.get(key)!)) fold[i] = next++ % k;
  }
  return Array.from({ length: k }, (_, f) => {
    const split: FoldSplit = { train: [], valid: [] };
    for (let i = 0; i < n; i++) (fold[i] === f ? split.valid : split.train).push(i);
    return split;
  });
}
