import { Random } from "../pipeline/random.ts";
import type { FoldSplit } from "./fold_splits.ts";

/**
 * Chris Deotte's bagging for ensembles: `count` independent seeded random splits of `n` rows,
 * each holding out `validFraction` (default 0.2, an 80/20 split) for validation. Member `i`'s
 * held-out rows are the first `round(n * validFraction)` of a shuffle seeded with
 * `Random.derive(seed, i, 0xba6)`, so the same seed gives the same ensemble.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { baggingSplits } from "./bagging_splits.ts";
 * const [a, b] = baggingSplits(100, 2, 7);
 * assert.ok(a!.valid.length === 20 && a!.train.length === 80 && a!.valid.join() !== b!.valid.join());
 * ```
 */
export function baggingSplits(
  n: number,
  count: number,
  seed: number,
  validFraction = 0.2,
): FoldSplit[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`--ensemble must be at least 1, got ${count}`);
  }
  if (!(validFraction > 0 && validFraction < 1)) {
    throw new RangeError(
      `an ensemble's validation fraction must lie in (0, 1), got ${validFraction}`,
    );
  }
  const held = Math.round(n * validFraction);
  if (held === 0 || held === n) {
    throw new RangeError(`${n} rows are too few for a ${validFraction} validation split`);
  }
  return Array.from({ length: count }, (_, m) => {
    const random = new Random(Random.derive(seed, m, 0xba6));
    const order = random.shuffle(Array.from({ length: n }, (_, i) => i));
    const isValid = new Uint8Array(n);
    for (let i = 0; i < held; i++) isValid[order[i]!] = 1;
    const split: FoldSplit = { train: [], valid: [] };
    for (let i = 0; i < n; i++) (isValid[i] ? split.valid : split.train).push(i);
    return split;
  });
}
