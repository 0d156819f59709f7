/**
 * Temperature scaling of a batch of softmax outputs (Guo et al., "On Calibration of Modern Neural
 * Networks", 2017).
 *
 * @module
 */
import { _checkProbabilities } from "./_check_probabilities.ts";

/**
 * The smallest positive float32 (a subnormal). A softmax output of exactly 0 (an underflow) is
 * read as this before the log, so every log-probability is finite; it is also as small as a
 * float32 probability can be, so no representable value is changed.
 */
export const MIN_PROBABILITY = 1.401298464324817e-45;

/**
 * Applies temperature `temperature` to row-major softmax outputs (`numClasses` per row):
 * `softmax(log(p) / T)` per row. The models end in a softmax, so `log p` equals the logits up to a
 * per-row constant, and this is exactly `softmax(logits / T)`: temperature scaling without
 * touching the saved layers. T > 1 softens over-confident outputs, T < 1 sharpens, T = 1 returns
 * the same distribution; the argmax (the predicted class) never changes.
 *
 * Returns a new `Float32Array`; the input is not modified. Throws a `RangeError` for a temperature
 * that is not a finite positive number, or for rows that are not probabilities.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyTemperature } from "./apply_temperature.ts";
 * const soft = applyTemperature(new Float32Array([0.9, 0.1]), 2, 2);
 * assert.ok(Math.abs(soft[0]! - 0.75) < 1e-6); // sqrt(0.9) / (sqrt(0.9) + sqrt(0.1))
 * assert.ok(Math.abs(soft[0]! + soft[1]! - 1) < 1e-6);
 * ```
 */
export function applyTemperature(
  probs: ArrayLike<number>,
  numClasses: number,
  temperature: number,
): Float32Array {
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new RangeError(
      `applyTemperature: temperature must be a positive number, got ${temperature}`,
    );
  }
  _checkProbabilities("applyTemperature", probs, undefined, numClasses);
  const out = new Float32Array(probs.length);
  const row = new Float64Array(numClasses);
  for (let start = 0; start < probs.length; start += numClasses) {
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) {
      row[k] = Math.log(Math.max(MIN_PROBABILITY, probs[start + k]!)) / temperature;
      if (row[k]! > max) max = row[k]!;
    }
    let sum = 0;
    for (let k = 0; k < numClasses; k++) {
      row[k] = Math.exp(row[k]! - max);
      sum += row[k]!;
    }
    for (let k = 0; k < numClasses; k++) out[start + k] = row[k]! / sum;
  }
  return out;
}
