import { splitRows } from "../pipeline/split_rows.ts";
import type { Example } from "../pipeline/types.ts";

/** Options of {@link splitExamples}. */
export interface SplitOptions {
  /** Seed of the shuffle that picks the held-out rows. */
  seed: number;
  /** Hold out the same fraction of every class (rounded per class). */
  stratify?: boolean;
}

/**
 * Holds out `fraction` of `examples` for validation, picked by a seeded shuffle (the same seed
 * gives the same split). Both parts keep the input order. The rows version of
 * `pipeline/split_rows.ts`, for rows already in an array.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { splitExamples } from "./split_examples.ts";
 * const examples = Array.from({ length: 10 }, (_, i) => ({
 *   pixels: new Uint8Array(4), label: i % 2, source: { file: "x.csv", line: i + 2 },
 * }));
 * const { train, valid } = splitExamples(examples, 0.2, { seed: 1, stratify: true });
 * assert.equal(train.length, 8);
 * assert.equal(valid.length, 2);
 * assert.notEqual(valid[0]!.label, valid[1]!.label);
 * ```
 */
export function splitExamples(
  examples: readonly Example[],
  fraction: number,
  options: SplitOptions,
): { train: Example[]; valid: Example[] } {
  const { valid: held } = splitRows(examples.map((e) => e.label), fraction, options);
  const train: Example[] = [];
  const valid: Example[] = [];
  examples.forEach((e, i) => (held[i] ? valid : train).push(e));
  return { train, valid };
}
