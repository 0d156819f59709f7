/**
 * The known name within edit distance 2 of `name` (compared case-insensitively), if any: the
 * "did you mean --batch-size?" of an unknown flag or config key. Ties go to the first known name.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { closestName } from "./closest_name.ts";
 * assert.equal(closestName("bach-size", ["epochs", "batch-size"]), "batch-size");
 * assert.equal(closestName("BatchSise", ["batchSize"]), "batchSize");
 * assert.equal(closestName("zzz", ["epochs"]), undefined);
 * ```
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = _editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function _editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
