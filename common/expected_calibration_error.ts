/**
 * The expected calibration error (Naeini et al. 2015; Guo et al. 2017).
 *
 * @module
 */
import { DEFAULT_CALIBRATION_BINS, reliabilityBins } from "./reliability_bins.ts";

/**
 * Expected calibration error of row-major softmax outputs (`numClasses` per row) against integer
 * `labels`: the rows are binned by confidence into `bins` equal-width bins (15 by default, as in
 * Guo et al.), and the gaps |accuracy − mean confidence| are averaged, weighted by each bin's
 * share of the rows. 0 is perfectly calibrated; a model that says "99%" and is right 90% of the
 * time scores about 0.09. Returns 0 for no rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedCalibrationError } from "./expected_calibration_error.ts";
 * // Two rows, each 90% sure; one right, one wrong: accuracy 0.5 where confidence is 0.9.
 * const ece = expectedCalibrationError(new Float32Array([0.9, 0.1, 0.9, 0.1]), [0, 1], 2);
 * assert.ok(Math.abs(ece - 0.4) < 1e-6);
 * ```
 */
export function expectedCalibrationError(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  bins: number = DEFAULT_CALIBRATION_BINS,
): number {
  const table = reliabilityBins(probs, labels, numClasses, bins);
  if (labels.length === 0) return 0;
  let ece = 0;
  for (const bin of table) {
    if (bin.count > 0) ece += (bin.count / labels.length) * Math.abs(bin.accuracy - bin.confidence);
  }
  return ece;
}
