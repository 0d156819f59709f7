import { MODEL_ZOO } from "../models/model_zoo.ts";

/** One rule of {@link chooseAutoModel}: the first that matches picks the model. */
export interface AutoModelRule {
  /** Matches images whose shorter side is below this (Infinity: any). */
  belowSide: number;
  /** Matches sets with fewer labelled rows than this (Infinity: any). */
  belowRows: number;
  model: string;
  /** Why, for the run's one-line explanation ("for 8×8"). */
  why: string;
}

/**
 * The rules `--model auto` follows, first match wins. Images under 25×25 (UCI optdigits' 8×8,
 * the 8×8 downsampled MNIST, other small glyph sets) get digits8-cnn (two poolings, BatchNorm and
 * Dropout; measured on the 1,300-row 8×8 set with the derived budget: 95.1%, tiny-cnn 92.9%,
 * scikit-learn's SVC() 92.7%, on 5,000 test rows); MNIST-sized images get compact-cnn at any row
 * count (1,000 rows: 96.8% on the MNIST test set with the derived budget, 94.5% with 8 epochs).
 */
export const AUTO_MODEL_RULES: readonly AutoModelRule[] = [
  { belowSide: 25, belowRows: Infinity, model: "digits8-cnn", why: "small images" },
  { belowSide: Infinity, belowRows: Infinity, model: "compact-cnn", why: "MNIST-sized images" },
];

/**
 * The zoo model `--model auto` stands for, chosen by image size and row count (the first of
 * {@link AUTO_MODEL_RULES} that matches and whose model accepts the size), with the reason the
 * run prints: "digits8-cnn for 8×8".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseAutoModel } from "./choose_auto_model.ts";
 * assert.deepEqual(chooseAutoModel({ height: 8, width: 8, rows: 1300 }), {
 *   model: "digits8-cnn",
 *   reason: "digits8-cnn for 8×8 (small images)",
 * });
 * assert.equal(chooseAutoModel({ height: 28, width: 28, rows: 60000 }).model, "compact-cnn");
 * ```
 */
export function chooseAutoModel(
  input: { height: number; width: number; rows: number },
  rules: readonly AutoModelRule[] = AUTO_MODEL_RULES,
): { model: string; reason: string } {
  const side = Math.min(input.height, input.width);
  for (const rule of rules) {
    if (side >= rule.belowSide || input.rows >= rule.belowRows) continue;
    const entry = MODEL_ZOO[rule.model];
    if (entry === undefined) throw new RangeError(`auto rule names unknown model '${rule.model}'`);
    if (side < entry.minInputSize) continue;
    return {
      model: rule.model,
      reason: `${rule.model} for ${input.height}×${input.width} (${rule.why})`,
    };
  }
  // Nothing fits (images under 8×8): the dense baseline takes any size.
  return {
    model: "mlp",
    reason: `mlp for ${input.height}×${input.width} (smaller than any CNN takes)`,
  };
}
