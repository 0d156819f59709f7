import assert from "node:assert/strict";
import { resolveConfig } from "../../train/resolve_config.ts";
import { HINGE_LR, modelTrainingDefaults } from "../../train/model_training_defaults.ts";
import { MODEL_ZOO } from "../../models/model_zoo.ts";

Deno.test("modelTrainingDefaults turns augmentation off for the linear models only", () => {
  for (const model of Object.keys(MODEL_ZOO)) {
    const config = resolveConfig({ flags: { model } });
    const values = modelTrainingDefaults(config, new Set(["model"]));
    if (model === "logreg" || model === "svm") {
      assert.equal(values.augment, "none", model);
      for (const key of ["rotation", "zoom", "widthShift", "heightShift", "shear", "contrast"]) {
        assert.equal(values[key as keyof typeof values], 0, `${model} ${key}`);
      }
    } else {
      assert.equal(values.augment, undefined, model);
      assert.equal(values.rotation, undefined, model);
    }
  }
});

Deno.test("modelTrainingDefaults leaves a linear model's augmentation to the user when given", () => {
  const flagged = resolveConfig({ flags: { model: "logreg", rotation: 5 } });
  assert.deepEqual(modelTrainingDefaults(flagged, new Set(["model", "rotation"])), {});
  const named = resolveConfig({ flags: { model: "svm", augment: "light" } });
  const values = modelTrainingDefaults(named, new Set(["model", "augment"]));
  assert.deepEqual(values, { lr: HINGE_LR, monitor: "val_acc" });
});
