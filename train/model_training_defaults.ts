import { MODEL_ZOO } from "../models/model_zoo.ts";
import { AUGMENT_KEYS, AUGMENT_PRESETS, type TrainConfig } from "./config.ts";

/** The learning rate an `svm` trains with unless one is given: the hinge loss on raw pixels. */
export const HINGE_LR = 1e-2;

/**
 * Config values a model's training kind calls for, under the user's keys (`explicit`: flags and
 * `--config`): an `svm` (`training: "hinge"`) starts at lr 1e-2 and follows `val_acc` (its
 * softmax loss says little about its margins). A linear model (`logreg`, `svm`) trains without
 * augmentation unless `--augment` or one of its values is given (see the zoo's `linear`). Other
 * models: nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./resolve_config.ts";
 * import { modelTrainingDefaults } from "./model_training_defaults.ts";
 * const config = resolveConfig({ flags: { model: "svm" } });
 * assert.equal(modelTrainingDefaults(config, new Set(["model"])).lr, 0.01);
 * assert.equal(modelTrainingDefaults(config, new Set(["model"])).rotation, 0);
 * const mine = new Set(["model", "lr", "monitor", "augment"]);
 * assert.deepEqual(modelTrainingDefaults(config, mine), {});
 * ```
 */
export function modelTrainingDefaults(
  config: Readonly<TrainConfig>,
  explicit: ReadonlySet<string>,
): Partial<TrainConfig> {
  const values: Partial<TrainConfig> = {};
  const spec = MODEL_ZOO[config.model];
  if (spec?.training === "hinge") {
    if (!explicit.has("lr")) values.lr = HINGE_LR;
    if (!explicit.has("monitor")) values.monitor = "val_acc";
  }
  const userAugment = explicit.has("augment") || AUGMENT_KEYS.some((key) => explicit.has(key));
  if (spec?.linear === true && !userAugment) {
    Object.assign(values, { augment: "none", ...AUGMENT_PRESETS.none });
  }
  return values;
}
