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
 * the 8×8 downsampled MNIST, other small glyph sets) get tiny-cnn, made for 8×8 (its three
 * poolings end at 1×1, it has Dropout for small sets); MNIST-sized images get compact-cnn at any
 * row count (measured: it reaches the 1,000-row goal when the step floor gives it enough steps).
 */
export const AUTO_MODEL_RULES: readonly AutoModelRule[] = [
  { belowSide: 25, belowRows: Infinity, model: "tiny-cnn", why: "small images" },
  { belowSide: Infinity, belowRows: Infinity, model: "compact-cnn", why: "MNIST-sized images" },
];

/**
 * The zoo model `--model auto` stands for, chosen by image size and row count (the first of
 * {@link AUTO_MODEL_RULES} that matches and whose model accepts the size), with the reason the
 * run prints: "tiny-cnn for 8×8".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseAutoModel } from "./choose_auto_model.ts";
 * assert.deepEqual(chooseAutoModel({ height: 8, width: 8, rows: 1300 }), {
 *   model: "tiny-cnn",
 *   reason: "tiny-cnn for 8×8 (small images)",
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
