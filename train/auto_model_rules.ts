// The rules alone, without the zoo (and so without tfjs): `train --help` prints them.
/** One rule of `chooseAutoModel` (train/choose_auto_model.ts): the first that matches picks the model. */
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
