import * as tf from "@tensorflow/tfjs";
import { createKnn, KNN_MAX_ROWS } from "../models/knn.ts";
import { storeKnnRows } from "../models/store_knn_rows.ts";
import { Random } from "../pipeline/random.ts";
import type { Example } from "../pipeline/types.ts";

/** Options of {@link fitKnn}. */
export interface FitKnnOptions {
  inputShape: [number, number, number];
  numClasses: number;
  /** Seed of the subsample when there are more rows than `maxRows`. */
  seed: number;
  /** Most rows stored (default `KNN_MAX_ROWS`, 10,000). */
  maxRows?: number;
  /** τ of the soft vote; default: picked by leave-one-out accuracy on the stored rows. */
  temperature?: number;
}

/** A fitted `knn` model and what the fit chose. */
export interface FitKnnResult {
  model: tf.LayersModel;
  /** Rows stored (all of them, or a seeded draw of `maxRows`). */
  rows: number;
  temperature: number;
  /** Leave-one-out accuracy of the chosen τ on up to 500 stored rows (NaN when τ was given). */
  looAccuracy: number;
}

/** Relative τ values tried, times the median squared distance to the nearest other row. */
const TEMPERATURE_FACTORS = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4];
/** Rows whose leave-one-out vote picks τ. */
const LOO_ROWS = 500;

/**
 * "Trains" the `knn` zoo model: what the training loop calls instead of the epochs for it. Stores
 * the training rows (pixels scaled to [0, 1] as the pipeline's batches are), capped at `maxRows`
 * by a seeded draw, and picks the vote's temperature τ by leave-one-out accuracy (ties: lower
 * log loss) among multiples of the median nearest-neighbour squared distance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitKnn } from "./fit_knn.ts";
 * const examples = [0, 1, 0, 1].map((label, i) => ({
 *   pixels: new Uint8Array([label * 255, 255 - label * 255 + i]), label, source: { file: "m", line: i + 1 },
 * }));
 * const { model, rows } = fitKnn(examples, { inputShape: [1, 2, 1], numClasses: 2, seed: 1 });
 * assert.equal(rows, 4);
 * model.dispose();
 * ```
 */
export function fitKnn(examples: readonly Example[], options: FitKnnOptions): FitKnnResult {
  const maxRows = options.maxRows ?? KNN_MAX_ROWS;
  if (examples.length === 0) throw new RangeError("a knn model needs at least one training row");
  const chosen = examples.length <= maxRows
    ? [...examples]
    : new Random(Random.derive(options.seed, 0x6e6e)).shuffle([...examples]).slice(0, maxRows);
  const pixels = options.inputShape[0] * options.inputShape[1] * options.inputShape[2];
  const x = new Float32Array(chosen.length * pixels);
  const labels = new Int32Array(chosen.length);
  chosen.forEach((e, r) => {
    if (e.pixels.length !== pixels) {
      throw new RangeError(
        `${e.source.file} line ${e.source.line} has ${e.pixels.length} pixels, expected ${pixels}`,
      );
    }
    for (let p = 0; p < pixels; p++) x[r * pixels + p] = e.pixels[p]! / 255;
    labels[r] = e.label;
  });
  const picked = options.temperature !== undefined
    ? { temperature: options.temperature, accuracy: NaN }
    : _pickTemperature(x, labels, pixels, options.numClasses);
  const model = createKnn({ ...options, rows: chosen.length });
  storeKnnRows(model, { x, labels, temperature: picked.temperature });
  return {
    model,
    rows: chosen.length,
    temperature: picked.temperature,
    looAccuracy: picked.accuracy,
  };
}

/** Leave-one-out choice of τ on the first {@link LOO_ROWS} rows against all the others. */
function _pickTemperature(
  x: Float32Array,
  labels: Int32Array,
  pixels: number,
  numClasses: number,
): { temperature: number; accuracy: number } {
  const n = labels.length;
  const m = Math.min(n, LOO_ROWS);
  if (n < 2) return { temperature: 1, accuracy: NaN };
  const d2 = tf.tidy(() => {
    const all = tf.tensor2d(x, [n, pixels]);
    const probe = all.slice([0, 0], [m, pixels]);
    const norms = all.square().sum(1);
    const dot = tf.matMul(probe, all, false, true);
    return tf.relu(norms.slice(0, m).expandDims(1).sub(dot.mul(2)).add(norms.expandDims(0)))
      .dataSync() as Float32Array;
  });
  const nearest: number[] = [];
  for (let i = 0; i < m; i++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && d2[i * n + j]! < best) best = d2[i * n + j]!;
    nearest.push(best);
  }
  nearest.sort((a, b) => a - b);
  const median = Math.max(nearest[Math.floor(m / 2)]!, 1e-6);
  let best = { temperature: median, accuracy: -1, loss: Infinity };
  for (const factor of TEMPERATURE_FACTORS) {
    const tau = median * factor;
    const { accuracy, loss } = _looScore(d2, labels, m, n, numClasses, tau);
    if (accuracy > best.accuracy || (accuracy === best.accuracy && loss < best.loss)) {
      best = { temperature: tau, accuracy, loss };
    }
  }
  return { temperature: best.temperature, accuracy: best.accuracy };
}

/** Accuracy and log loss of the soft vote for each of the first `m` rows, itself left out. */
function _looScore(
  d2: Float32Array,
  labels: Int32Array,
  m: number,
  n: number,
  numClasses: number,
  tau: number,
): { accuracy: number; loss: number } {
  let correct = 0, loss = 0;
  const votes = new Float64Array(numClasses);
  for (let i = 0; i < m; i++) {
    let min = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && d2[i * n + j]! < min) min = d2[i * n + j]!;
    votes.fill(0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = Math.exp(-(d2[i * n + j]! - min) / tau);
      votes[labels[j]!]! += w;
      total += w;
    }
    let argmax = 0;
    for (let c = 1; c < numClasses; c++) if (votes[c]! > votes[argmax]!) argmax = c;
    if (argmax === labels[i]) correct++;
    loss -= Math.log(Math.max(votes[labels[i]!]! / total, 1e-12));
  }
  return { accuracy: correct / m, loss: loss / m };
}
