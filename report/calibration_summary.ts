import { expectedCalibrationError } from "../common/expected_calibration_error.ts";
import {
  DEFAULT_CALIBRATION_BINS,
  type ReliabilityBin,
  reliabilityBins,
} from "../common/reliability_bins.ts";

/** The calibration part of an evaluation: ECE and reliability bins before and after. */
export interface CalibrationSummary {
  /** Each model's temperature (1: uncalibrated). */
  temperatures: number[];
  /** Confidence bins of the ECE and the diagrams. */
  bins: number;
  /** Expected calibration error of the raw softmax mean and of the calibrated one. */
  eceBefore: number;
  eceAfter: number;
  before: ReliabilityBin[];
  after: ReliabilityBin[];
}

/**
 * ECE and reliability bins of the same rows before (`uncalibrated`, the raw softmax mean) and
 * after (`calibrated`, each model's temperature applied before averaging) calibration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrationSummary } from "./calibration_summary.ts";
 * const raw = new Float32Array([0.99, 0.01, 0.99, 0.01]);
 * const soft = new Float32Array([0.6, 0.4, 0.6, 0.4]);
 * const s = calibrationSummary(raw, soft, [0, 1], 2, [3]);
 * assert.ok(s.eceAfter < s.eceBefore);
 * ```
 */
export function calibrationSummary(
  uncalibrated: ArrayLike<number>,
  calibrated: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  temperatures: readonly number[],
  bins: number = DEFAULT_CALIBRATION_BINS,
): CalibrationSummary {
  return {
    temperatures: [...temperatures],
    bins,
    eceBefore: expectedCalibrationError(uncalibrated, labels, numClasses, bins),
    eceAfter: expectedCalibrationError(calibrated, labels, numClasses, bins),
    before: reliabilityBins(uncalibrated, labels, numClasses, bins),
    after: reliabilityBins(calibrated, labels, numClasses, bins),
  };
}
