import type { TrainConfig } from "./config.ts";
import { chooseAutoModel } from "./choose_auto_model.ts";
import { deriveAugmentation } from "./derive_augmentation.ts";
import { deriveEpochs } from "./derive_epochs.ts";
import { deriveValidationSplit } from "./derive_validation_split.ts";

/** What the data looks like, as far as the defaults care. */
export interface DataShape {
  /** Labelled training rows before the validation split (after `--limit`). */
  rows: number;
  height: number;
  width: number;
  numClasses: number;
  /** Rows of a separate `--valid` file, when there is one (then nothing is split off). */
  validRows?: number;
}

/** The derived settings, each with the reason the run prints. */
export interface TrainingDefaults {
  /** Config values to lay over the preset (and under the user's flags and config file). */
  values: Partial<TrainConfig>;
  rows: number;
  /** Training rows after the split, and the budget in steps. */
  trainRows: number;
  steps: number;
  /** The validation set: size, whether stratified, whether epochs are picked by it. */
  validRows: number;
  /** The model `auto` stands for and why ("digits8-cnn for 8×8"), or null when one was named. */
  modelReason: string | null;
  /** Augmentation changes made for the image size ("widthShift 0.08 → 0.125 ..."). */
  augmentChanges: string[];
}

/**
 * EarlyStopping patience: a quarter of the epochs, within these bounds. A small validation set is
 * noisy: with a patience of an eighth, the 1,000-row 28×28 set stopped at epoch 17 (best 6, 94.3%
 * on the MNIST test set); with a quarter it ran to 68 (best 46, 96.9%).
 */
const PATIENCE = { min: 10, max: 30, fraction: 1 / 4 };

/**
 * The defaults that fit the data (issue 12), derived from its row count, image size and classes
 * and from `base`, the resolved config (defaults ← preset ← config file ← flags). Keys in
 * `explicit` (set by the user's flags or config file) are never changed; an explicit `epochs`
 * also turns off the derived early stopping, and the preset's per-epoch decay is stretched from
 * `presetEpochs` (the preset's own epoch count) to the user's count, unless `epochDecay` is
 * explicit too. Full MNIST with the default preset derives exactly
 * the preset's values (8 epochs, decay 0.75, random 5% split, no early stopping, compact-cnn,
 * light augmentation), so the bare `deno task train` does not change.
 *
 * - validation: {@link deriveValidationSplit} (5–15%, stratified below 20,000 rows);
 * - epochs: {@link deriveEpochs} (at least 1,200 steps, the preset's per-epoch decay stretched);
 * - early stopping on the preset's monitor with restore-best, patience a quarter of the epochs
 *   (10..30), when the step floor raised the epochs and the validation set has at least 15 rows
 *   per class;
 * - `auto` model: {@link chooseAutoModel}; augmentation: {@link deriveAugmentation}, unless the
 *   user set `augment` or any geometric augmentation value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./resolve_config.ts";
 * import { deriveTrainingDefaults } from "./derive_training_defaults.ts";
 * const base = resolveConfig();
 * const small = deriveTrainingDefaults({ rows: 1300, height: 8, width: 8, numClasses: 10 }, base);
 * assert.equal(small.values.model, "digits8-cnn");
 * assert.equal(small.values.restoreBest, true);
 * const mnist = deriveTrainingDefaults({ rows: 60000, height: 28, width: 28, numClasses: 10 }, base);
 * assert.equal(mnist.values.epochs, base.epochs);
 * ```
 */
export function deriveTrainingDefaults(
  data: DataShape,
  base: Readonly<TrainConfig>,
  explicit: ReadonlySet<string> = new Set(),
  presetEpochs: number = base.epochs,
): TrainingDefaults {
  const values: Partial<TrainConfig> = {};
  const set = <K extends keyof TrainConfig>(key: K, value: TrainConfig[K]) => {
    if (!explicit.has(key)) values[key] = value;
  };
  const pick = <K extends keyof TrainConfig>(key: K): TrainConfig[K] =>
    (values[key] ?? base[key]) as TrainConfig[K];

  // 1. Validation split (none to derive with a --valid file).
  const split = deriveValidationSplit({ rows: data.rows, numClasses: data.numClasses });
  let canPick = split.canPickEpochs;
  if (data.validRows === undefined) {
    set("validSplit", split.fraction);
    set("stratify", split.stratify);
  } else {
    canPick = data.validRows >= 15 * Math.max(2, data.numClasses);
  }
  const validRows = data.validRows ?? Math.round(data.rows * pick("validSplit"));
  const trainRows = data.rows - (data.validRows === undefined ? validRows : 0);

  // 2. Epochs over the total step count (the user's --epochs: only the decay follows it), and
  //    early stopping when the step floor raised them.
  const derived = deriveEpochs({
    trainRows: Math.max(1, trainRows),
    batchSize: base.batchSize,
    baseEpochs: explicit.has("epochs") ? presetEpochs : base.epochs,
    baseEpochDecay: base.schedule === "epoch" ? base.epochDecay : 1,
    ...(explicit.has("epochs") ? { fixedEpochs: base.epochs } : {}),
  });
  const steps = derived.steps;
  set("epochs", derived.epochs);
  if (base.schedule === "epoch") set("epochDecay", _round4(derived.epochDecay));
  if (derived.raised && canPick) {
    const patience = Math.round(derived.epochs * PATIENCE.fraction);
    set("patience", Math.min(PATIENCE.max, Math.max(PATIENCE.min, patience)));
    set("restoreBest", true);
  }

  // 3. The model `auto` stands for, and augmentation for the image size.
  let modelReason: string | null = null;
  if (base.model === "auto" && !explicit.has("model")) {
    const chosen = chooseAutoModel({ height: data.height, width: data.width, rows: data.rows });
    set("model", chosen.model);
    modelReason = chosen.reason;
  }
  const augment = deriveAugmentation(base, data);
  const augmentKeys = ["rotation", "zoom", "widthShift", "heightShift", "shear"] as const;
  const userAugment = explicit.has("augment") || augmentKeys.some((key) => explicit.has(key));
  if (!userAugment) {
    for (const key of augmentKeys) {
      if (augment.values[key] !== base[key]) set(key, augment.values[key]);
    }
  }
  const augmentChanges = userAugment ? [] : augment.changed;
  return { values, rows: data.rows, trainRows, steps, validRows, modelReason, augmentChanges };
}

function _round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
