/**
 * Checks a row-major batch of class probabilities against its labels, the shared input check of the
 * calibration functions (`fitTemperature`, `reliabilityBins`, `expectedCalibrationError`).
 * Throws a `RangeError` naming the function, the row and the value to fix.
 *
 * @module
 */

/**
 * How far above 1 a probability may be: a float32 softmax (or knn's vote, a matmul of a softmax
 * with one-hot labels) can round a certain class to 1 + a few ulps (1.0000001 was seen).
 */
const ROUNDING = 1e-5;

/**
 * Throws unless `probs` holds `labels.length` rows of `numClasses` finite values in [0, 1] (up to
 * float32 rounding above 1).
 */
export function _checkProbabilities(
  caller: string,
  probs: ArrayLike<number>,
  labels: ArrayLike<number> | undefined,
  numClasses: number,
): void {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new RangeError(`${caller}: numClasses must be an integer ≥ 2, got ${numClasses}`);
  }
  if (probs.length % numClasses !== 0) {
    throw new RangeError(
      `${caller}: ${probs.length} probabilities is not a whole number of rows of ${numClasses}`,
    );
  }
  const rows = probs.length / numClasses;
  if (labels !== undefined && labels.length !== rows) {
    throw new RangeError(
      `${caller}: expected ${labels.length * numClasses} probabilities (${labels.length} rows × ` +
        `${numClasses}), got ${probs.length}`,
    );
  }
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1 + ROUNDING)) {
      const row = Math.floor(i / numClasses);
      throw new RangeError(
        `${caller}: row ${row + 1}, class ${i % numClasses} has probability ${p}; ` +
          `expected a number in [0, 1] (softmax outputs)`,
      );
    }
  }
  if (labels === undefined) return;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(
        `${caller}: row ${i + 1} has label ${label}, expected an integer 0..${numClasses - 1}`,
      );
    }
  }
}
