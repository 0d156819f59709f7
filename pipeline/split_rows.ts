import { Random } from "./random.ts";

/** Options of {@link splitRows}. */
export interface SplitRowsOptions {
  /** Seed of the shuffle that picks the held-out rows. */
  seed: number;
  /** Hold out the same fraction of every class (rounded per class). */
  stratify?: boolean;
}

/**
 * The seeded train/validation split by row index: holds out `fraction` of the rows whose labels
 * are `labels`, picked by a seeded shuffle (per class with `stratify`). Returns one count per row
 * for `SelectRowsStream`: `train[i]` is 1 when row `i` trains, `valid[i]` when it validates.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { splitRows } from "./split_rows.ts";
 * const { train, valid } = splitRows([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 0.2, { seed: 1, stratify: true });
 * assert.equal(train.reduce((a, b) => a + b), 8);
 * assert.equal(valid.reduce((a, b) => a + b), 2);
 * assert.ok(train.every((t, i) => t + valid[i]! === 1));
 * ```
 */
export function splitRows(
  labels: ArrayLike<number>,
  fraction: number,
  options: SplitRowsOptions,
): { train: Uint8Array; valid: Uint8Array } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`a validation split must lie in [0, 1), got ${fraction}`);
  }
  const n = labels.length;
  const valid = new Uint8Array(n);
  if (fraction > 0) {
    const random = new Random(Random.derive(options.seed, 0x5117));
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const key = options.stratify ? labels[i]! : 0;
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    for (const key of [...groups.keys()].sort((a, b) => a - b)) {
      const indices = random.shuffle(groups.get(key)!);
      const count = Math.round(indices.length * fraction);
      for (let i = 0; i < count; i++) valid[indices[i]!] = 1;
    }
  }
  const train = valid.map((v) => 1 - v);
  if (n > 0 && !train.includes(1)) {
    throw new RangeError(`a validation split of ${fraction} leaves no training rows out of ${n}`);
  }
  return { train, valid };
}
