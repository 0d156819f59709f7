/**
 * Test fixtures for the calibration functions, with a known answer.
 *
 * `syntheticPredictions` draws, per row, a true class and logits around it, turns the logits into
 * the generator's own probabilities, and draws the label FROM those probabilities: so those
 * probabilities are calibrated by construction. The "model" output is softmax(sharpen · logits):
 * sharpen 1 is calibrated, sharpen 3 is over-confident with a true temperature of 3, sharpen 0.5
 * under-confident with a true temperature of 0.5.
 */
import { Random } from "../../pipeline/random.ts";

/** Probabilities (row-major), labels and the temperature that undoes the sharpening. */
export interface SyntheticPredictions {
  probs: Float32Array;
  labels: Int32Array;
  numClasses: number;
  trueTemperature: number;
}

/** `rows` synthetic predictions over `numClasses` classes, over-confident by `sharpen`. */
export function syntheticPredictions(
  options: { rows: number; numClasses?: number; sharpen: number; seed: number },
): SyntheticPredictions {
  const numClasses = options.numClasses ?? 10;
  const random = new Random(options.seed);
  const probs = new Float32Array(options.rows * numClasses);
  const labels = new Int32Array(options.rows);
  const logits = new Float64Array(numClasses);
  for (let r = 0; r < options.rows; r++) {
    const target = random.int(numClasses);
    // Easy and hard rows alike: the margin of the true class varies from row to row.
    const margin = random.uniform(0, 5);
    for (let k = 0; k < numClasses; k++) {
      logits[k] = _gaussian(random) + (k === target ? margin : 0);
    }
    labels[r] = _sample(random, _softmax(logits, 1));
    probs.set(_softmax(logits, options.sharpen), r * numClasses);
  }
  return { probs, labels, numClasses, trueTemperature: options.sharpen };
}

function _softmax(logits: Float64Array, scale: number): Float64Array {
  const out = logits.map((z) => z * scale);
  const max = Math.max(...out);
  let sum = 0;
  for (let k = 0; k < out.length; k++) sum += out[k] = Math.exp(out[k]! - max);
  return out.map((v) => v / sum);
}

function _sample(random: Random, probs: Float64Array): number {
  let u = random.next();
  for (let k = 0; k < probs.length; k++) {
    u -= probs[k]!;
    if (u < 0) return k;
  }
  return probs.length - 1;
}

/** A standard normal draw (Box–Muller). */
function _gaussian(random: Random): number {
  const u = 1 - random.next(), v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
