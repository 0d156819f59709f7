import { Random } from "../pipeline/random.ts";

/**
 * Splits row indices 0..n−1 into training and validation rows, holding out `fraction` of every
 * class (rounded per class) by a seeded shuffle: the same labels and seed give the same split.
 * It draws exactly as `splitExamples(examples, fraction, { seed, stratify: true })`
 * (train/split_examples.ts) does, so the two agree; this one needs only the labels, for callers
 * that keep rows elsewhere (bagging, k-fold members, typed-array data sets). Both parts list
 * indices in increasing order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stratifiedSplitIndices } from "./stratified_split_indices.ts";
 * const { train, valid } = stratifiedSplitIndices([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], 0.5, 7);
 * assert.equal(valid.length, 5);
 * assert.equal(valid.filter((i) => i < 4).length, 2);
 * assert.equal(train.length + valid.length, 10);
 * ```
 */
export function stratifiedSplitIndices(
  labels: ArrayLike<number>,
  fraction: number,
  seed: number,
): { train: number[]; valid: number[] } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`a validation split must lie in [0, 1), got ${fraction}`);
  }
  const held = new Uint8Array(labels.length);
  if (fraction > 0) {
    const random = new Random(Random.derive(seed, 0x5117));
    const groups = new Map<number, number[]>();
    for (let i = 0; i < labels.length; i++) {
      const group = groups.get(labels[i]!);
      if (group) group.push(i);
      else groups.set(labels[i]!, [i]);
    }
    for (const label of [...groups.keys()].sort((a, b) => a - b)) {
      const indices = random.shuffle(groups.get(label)!);
      const count = Math.round(indices.length * fraction);
      for (let i = 0; i < count; i++) held[indices[i]!] = 1;
    }
  }
  const train: number[] = [];
  const valid: number[] = [];
  for (let i = 0; i < labels.length; i++) (held[i] ? valid : train).push(i);
  if (train.length === 0 && labels.length > 0) {
    throw new RangeError(
      `a validation split of ${fraction} leaves no training rows out of ${labels.length}`,
    );
  }
  return { train, valid };
}
