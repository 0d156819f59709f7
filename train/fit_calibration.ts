import * as tf from "@tensorflow/tfjs";
import { applyTemperature } from "../common/apply_temperature.ts";
import { expectedCalibrationError } from "../common/expected_calibration_error.ts";
import { fitTemperature } from "../common/fit_temperature.ts";
import { DEFAULT_CALIBRATION_BINS } from "../common/reliability_bins.ts";
import type { Calibration } from "../models/manifest.ts";
import type { Batch } from "../pipeline/types.ts";

/**
 * Fits temperature scaling for `model` on labelled validation batches: predicts every row (in
 * inference mode, no tensor kept), fits T with `fitTemperature`, and measures the expected
 * calibration error before (T = 1) and after. When the fit ends at its search bound the held-out
 * rows cannot pin T down, so the result keeps T = 1 (and `atBound`, for a warning). Returns null
 * for no rows.
 *
 * @example
 * ```ts ignore
 * import { fitCalibration } from "./fit_calibration.ts";
 * const calibration = await fitCalibration(model, validBatches, { numClasses: 10 });
 * console.log(calibration?.temperature, calibration?.eceBefore, calibration?.eceAfter);
 * ```
 */
export async function fitCalibration(
  model: tf.LayersModel,
  batches: ReadableStream<Batch>,
  options: { numClasses: number; bins?: number },
): Promise<{ calibration: Calibration; fitted: number } | null> {
  const k = options.numClasses;
  const bins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  const { probs, labels } = await _predictAll(model, batches, k);
  if (labels.length === 0) return null;
  const fit = fitTemperature(probs, labels, k);
  const temperature = fit.atBound ? 1 : fit.temperature;
  const eceBefore = expectedCalibrationError(probs, labels, k, bins);
  const eceAfter = temperature === 1
    ? eceBefore
    : expectedCalibrationError(applyTemperature(probs, k, temperature), labels, k, bins);
  return {
    fitted: fit.temperature,
    calibration: {
      method: "temperature",
      temperature,
      fittedOn: "validation",
      rows: labels.length,
      nllBefore: fit.nllBefore,
      nllAfter: fit.atBound ? fit.nllBefore : fit.nllAfter,
      eceBefore,
      eceAfter,
      bins,
      atBound: fit.atBound,
    },
  };
}

/** Every batch's softmax outputs and labels, concatenated. */
async function _predictAll(
  model: tf.LayersModel,
  batches: ReadableStream<Batch>,
  k: number,
): Promise<{ probs: Float32Array; labels: Int32Array }> {
  const parts: Float32Array[] = [];
  const labelParts: Int32Array[] = [];
  for await (const batch of batches) {
    const out = tf.tidy(() =>
      model.predict(tf.tensor4d(batch.x, [batch.size, batch.height, batch.width, 1])) as tf.Tensor
    );
    parts.push((await out.data()) as Float32Array);
    out.dispose();
    labelParts.push(Int32Array.from(batch.y.subarray(0, batch.size)));
  }
  const rows = labelParts.reduce((n, p) => n + p.length, 0);
  const probs = new Float32Array(rows * k), labels = new Int32Array(rows);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    probs.set(parts[i]!, at * k);
    labels.set(labelParts[i]!, at);
    at += labelParts[i]!.length;
  }
  return { probs, labels };
}
