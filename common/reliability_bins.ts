/**
 * Confidence bins of a classifier's predictions: the data behind the expected calibration error
 * and the reliability diagram.
 *
 * @module
 */
import { _checkProbabilities } from "./_check_probabilities.ts";

/** Bins used by default, as in Guo et al. (2017). */
export const DEFAULT_CALIBRATION_BINS = 15;

/** One equal-width confidence bin, (lower, upper]. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Rows whose top probability falls in this bin. */
  count: number;
  /** Their mean top probability (NaN for an empty bin). */
  confidence: number;
  /** The share of them that is classified correctly (NaN for an empty bin). */
  accuracy: number;
}

/**
 * Sorts each row of row-major softmax outputs (`numClasses` per row) into `bins` equal-width bins
 * by its top probability (its confidence), bin m holding ((m-1)/M, m/M] and the first also 0, and
 * gives each bin's count, mean confidence and accuracy against `labels`. A perfectly calibrated
 * model has accuracy = confidence in every bin.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reliabilityBins } from "./reliability_bins.ts";
 * const bins = reliabilityBins(new Float32Array([0.9, 0.1, 0.75, 0.25]), [0, 1], 2, 10);
 * assert.equal(bins.length, 10);
 * assert.deepEqual([bins[8]!.count, bins[8]!.accuracy], [1, 1]); // 0.9 → (0.8, 0.9], right
 * assert.deepEqual([bins[7]!.count, bins[7]!.accuracy], [1, 0]); // 0.75 → (0.7, 0.8], wrong
 * ```
 */
export function reliabilityBins(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  bins: number = DEFAULT_CALIBRATION_BINS,
): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`reliabilityBins: bins must be a positive integer, got ${bins}`);
  }
  _checkProbabilities("reliabilityBins", probs, labels, numClasses);
  const count = new Float64Array(bins), confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (let r = 0; r < labels.length; r++) {
    const { best, top } = _argmax(probs, r * numClasses, numClasses);
    // Bin m covers ((m-1)/M, m/M]; ceil puts a confidence of exactly m/M in bin m.
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(top * bins) - 1));
    count[bin]!++;
    confidence[bin]! += top;
    if (best === labels[r]) correct[bin]!++;
  }
  return Array.from({ length: bins }, (_, m) => ({
    lower: m / bins,
    upper: (m + 1) / bins,
    count: count[m]!,
    confidence: count[m]! > 0 ? confidence[m]! / count[m]! : NaN,
    accuracy: count[m]! > 0 ? correct[m]! / count[m]! : NaN,
  }));
}

/** The index and value of the largest of `numClasses` values from `start` (first one on ties). */
function _argmax(probs: ArrayLike<number>, start: number, numClasses: number) {
  let best = 0, top = probs[start]!;
  for (let k = 1; k < numClasses; k++) {
    if (probs[start + k]! > top) best = k, top = probs[start + k]!;
  }
  return { best, top };
}
