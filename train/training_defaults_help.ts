import { AUTO_MODEL_RULES } from "./auto_model_rules.ts";
import { MIN_AUGMENT_SIDE } from "./derive_augmentation.ts";
import { MAX_DERIVED_EPOCHS, MIN_TRAINING_STEPS } from "./derive_epochs.ts";
import {
  LARGE_SET_ROWS,
  MAX_VALIDATION_FRACTION,
  MIN_VALIDATION_FRACTION,
  MIN_VALIDATION_ROWS_PER_CLASS,
  TARGET_VALIDATION_ROWS,
} from "./derive_validation_split.ts";

const pct = (f: number) => `${Math.round(f * 100)}%`;
const n = (v: number) => v.toLocaleString("en-US");
const autoRules = AUTO_MODEL_RULES.map((r) => {
  const when = [
    ...(Number.isFinite(r.belowSide) ? [`under ${r.belowSide}×${r.belowSide} pixels`] : []),
    ...(Number.isFinite(r.belowRows) ? [`under ${n(r.belowRows)} rows`] : []),
  ];
  return `${r.model} ${when.length > 0 ? when.join(" and ") : "otherwise"}`;
}).join(", ");

/**
 * The `train --help` paragraph on the defaults that fit the data (train/derive_training_defaults.ts),
 * built from the same constants the rules use, so help and behaviour cannot drift apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TRAINING_DEFAULTS_HELP } from "./training_defaults_help.ts";
 * assert.match(TRAINING_DEFAULTS_HELP, /at least 1,200 optimizer steps/);
 * ```
 */
export const TRAINING_DEFAULTS_HELP =
  `Defaults that fit the data (what you do not set is derived from the rows and the image size,
and the run prints one line saying what it chose):
  validation   ${n(TARGET_VALIDATION_ROWS)} rows, but ${pct(MIN_VALIDATION_FRACTION)}..${
    pct(MAX_VALIDATION_FRACTION)
  } of the set (1,300 rows: 15%; MNIST: 5%), stratified
               below ${n(LARGE_SET_ROWS)} rows
  epochs       the preset's (8), raised to at least ${
    n(MIN_TRAINING_STEPS)
  } optimizer steps (at most ${MAX_DERIVED_EPOCHS} epochs);
               the per-epoch decay is stretched so the rate ends where the preset's ends
  early stop   when the epochs were raised and validation has ${MIN_VALIDATION_ROWS_PER_CLASS}+ rows per class: on
               --monitor, patience epochs/4 (10..30), then the best epoch's weights
  --model auto ${autoRules}
  augmentation none under ${MIN_AUGMENT_SIDE}×${MIN_AUGMENT_SIDE}; shifts of at least 1 pixel above
  --epochs N keeps N epochs (no early stopping; the decay still follows N)`;
