import { MODEL_ZOO } from "../models/model_zoo.ts";

import { AUTO_MODEL_RULES, type AutoModelRule } from "./auto_model_rules.ts";

export { AUTO_MODEL_RULES, type AutoModelRule };

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
