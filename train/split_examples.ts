import { Random } from "../pipeline/random.ts";
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
 * gives the same split). Both parts keep the input order.
 *
 * @example
 * ```ts
 * import { splitExamples } from "./split_examples.ts";
 * const examples = Array.from({ length: 10 }, (_, i) => ({
 *   pixels: new Uint8Array(4), label: i % 2, source: { file: "x.csv", line: i + 2 },
 * }));
 * const { train, valid } = splitExamples(examples, 0.2, { seed: 1, stratify: true });
 * console.assert(train.length === 8 && valid.length === 2 && valid[0]!.label !== valid[1]!.label);
 * ```
 */
export function splitExamples(
  examples: readonly Example[],
  fraction: number,
  options: SplitOptions,
): { train: Example[]; valid: Example[] } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`a validation split must lie in [0, 1), got ${fraction}`);
  }
  if (fraction === 0) return { train: [...examples], valid: [] };
  const random = new Random(Random.derive(options.seed, 0x5117));
  const held = new Uint8Array(examples.length);
  const groups = new Map<number, number[]>();
  if (options.stratify) {
    examples.forEach((e, i) => {
      const group = groups.get(e.label);
      if (group) group.push(i);
      else groups.set(e.label, [i]);
    });
  } else {
    groups.set(0, examples.map((_, i) => i));
  }
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const indices = random.shuffle(groups.get(label)!);
    const count = Math.round(indices.length * fraction);
    for (let i = 0; i < count; i++) held[indices[i]!] = 1;
  }
  const train: Example[] = [];
  const valid: Example[] = [];
  examples.forEach((e, i) => (held[i] ? valid : train).push(e));
  if (train.length === 0) {
    throw new RangeError(
      `a validation split of ${fraction} leaves no training rows out of ${examples.length}`,
    );
  }
  return { train, valid };
}
