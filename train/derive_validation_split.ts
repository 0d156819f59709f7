/** What {@link deriveValidationSplit} decided. */
export interface DerivedValidationSplit {
  /** Fraction of the rows held out. */
  fraction: number;
  /** Rows held out (as the per-class rounding of a stratified split gives, about). */
  validRows: number;
  /** Hold out the same fraction of every class. */
  stratify: boolean;
  /** Whether the validation set is large enough to pick an epoch by (early stopping, best/). */
  canPickEpochs: boolean;
}

/** Validation rows a split aims at: enough to tell 1-point differences apart on small sets. */
export const TARGET_VALIDATION_ROWS = 1000;
/** The smallest fraction held out (large sets: 5%, 3,000 of MNIST's 60,000 rows, as today). */
export const MIN_VALIDATION_FRACTION = 0.05;
/** The largest fraction held out (small sets keep 85% to train on). */
export const MAX_VALIDATION_FRACTION = 0.15;
/** Rows per class a validation set needs before epochs are picked by it. */
export const MIN_VALIDATION_ROWS_PER_CLASS = 15;
/** From this many rows on, the split is a plain random one (as today's default run's). */
export const LARGE_SET_ROWS = 20000;

/**
 * The validation split for `rows` labelled rows: {@link TARGET_VALIDATION_ROWS} of them, but at
 * least 5% and at most 15% of the set; so a 1,300-row set holds out 15% (195 rows), 10,000 rows
 * 10%, and from 20,000 rows on 5% (MNIST: 3,000, as today). Stratified below
 * {@link LARGE_SET_ROWS} rows, where a random draw can leave a class short; above it a random 5%
 * is balanced to within noise, and staying unstratified keeps today's MNIST split row for row.
 * Epochs are picked on the validation set (early stopping, restore-best) only when it has at
 * least {@link MIN_VALIDATION_ROWS_PER_CLASS} rows per class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveValidationSplit } from "./derive_validation_split.ts";
 * const small = deriveValidationSplit({ rows: 1300, numClasses: 10 });
 * assert.deepEqual([small.fraction, small.validRows, small.stratify, small.canPickEpochs], [0.15, 195, true, true]);
 * const mnist = deriveValidationSplit({ rows: 60000, numClasses: 10 });
 * assert.deepEqual([mnist.fraction, mnist.stratify], [0.05, false]);
 * ```
 */
export function deriveValidationSplit(input: {
  rows: number;
  numClasses: number;
}): DerivedValidationSplit {
  const { rows, numClasses } = input;
  if (!(Number.isInteger(rows) && rows >= 1)) {
    throw new RangeError(`deriveValidationSplit needs a positive row count, got ${rows}`);
  }
  const wanted = TARGET_VALIDATION_ROWS / rows;
  const fraction = _round(
    Math.min(MAX_VALIDATION_FRACTION, Math.max(MIN_VALIDATION_FRACTION, wanted)),
  );
  const validRows = Math.round(rows * fraction);
  return {
    fraction,
    validRows,
    stratify: rows < LARGE_SET_ROWS,
    canPickEpochs: validRows >= MIN_VALIDATION_ROWS_PER_CLASS * Math.max(2, numClasses),
  };
}

/** Two significant decimals, so the fraction prints as the user would type it (0.1, not 0.1000…). */
function _round(fraction: number): number {
  return Math.round(fraction * 100) / 100;
}
