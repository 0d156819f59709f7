import { MODEL_ZOO } from "../models/model_zoo.ts";
import type { TrainConfig } from "./config.ts";
import type { TrainingDefaults } from "./derive_training_defaults.ts";

/**
 * The one line a run prints about what it chose and why, from `deriveTrainingDefaults`' result
 * and the final config: "1,300 rows: 67 epochs (about 1,200 steps), stratified 15% validation,
 * early stopping on val_loss (patience 17), model digits8-cnn for 8×8 (small images)".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./resolve_config.ts";
 * import { deriveTrainingDefaults } from "./derive_training_defaults.ts";
 * import { describeTrainingDefaults } from "./describe_training_defaults.ts";
 * const base = resolveConfig();
 * const derived = deriveTrainingDefaults({ rows: 1300, height: 8, width: 8, numClasses: 10 }, base);
 * const line = describeTrainingDefaults(derived, { ...base, ...derived.values });
 * assert.equal(line, "1,300 rows: 67 epochs (about 1,200 steps), stratified 15% validation " +
 *   "(195 rows), early stopping on val_loss (patience 17, restore best), model digits8-cnn for 8×8 " +
 *   "(small images), no augmentation for 8×8");
 * ```
 */
export function describeTrainingDefaults(
  derived: TrainingDefaults,
  config: Readonly<TrainConfig>,
): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const fitted = MODEL_ZOO[config.model]?.training === "fit"; // knn: no epochs, no stopping
  const parts = [
    fitted
      ? "fitted in one pass (no epochs)"
      : `${n(config.epochs)} epochs (about ${n(_twoDigits(derived.steps))} steps)`,
  ];
  if (config.valid !== "") {
    parts.push(`validation from ${config.valid} (${n(derived.validRows)} rows)`);
  } else if (config.validSplit > 0) {
    parts.push(
      `${config.stratify ? "stratified" : "random"} ${Math.round(config.validSplit * 100)}% ` +
        `validation (${n(derived.validRows)} rows)`,
    );
  } else parts.push("no validation");
  if (!fitted) {
    parts.push(
      config.patience > 0
        ? `early stopping on ${config.monitor} (patience ${config.patience}` +
          `${config.restoreBest ? ", restore best" : ""})`
        : "no early stopping",
    );
  }
  parts.push(
    derived.modelReason === null ? `model ${config.model}` : `model ${derived.modelReason}`,
  );
  parts.push(...derived.augmentChanges);
  return `${n(derived.rows)} rows: ${parts.join(", ")}`;
}

/** 1,206 → 1,200; 7,128 → 7,100; small counts stay. */
function _twoDigits(value: number): number {
  if (value < 100) return value;
  const scale = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / scale) * scale;
}
