/**
 * Fits temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017) on
 * held-out softmax outputs: the one scalar T that minimises the negative log-likelihood of
 * `softmax(log p / T)`.
 *
 * @module
 */
import { _checkProbabilities } from "./_check_probabilities.ts";
import { MIN_PROBABILITY } from "./apply_temperature.ts";

/** Search range of `fitTemperature` (T in [min, max]). */
export interface FitTemperatureOptions {
  /** Smallest temperature tried (default 0.05). */
  min?: number;
  /** Largest temperature tried (default 20). */
  max?: number;
  /** Stop when the bracket on log T is narrower than this (default 1e-6). */
  tolerance?: number;
}

/** What `fitTemperature` found. */
export interface TemperatureFit {
  /** The fitted temperature: > 1 when the model was over-confident, < 1 when under-confident. */
  temperature: number;
  /** Mean negative log-likelihood of the true labels at T = 1 (the model as it is). */
  nllBefore: number;
  /** The same at the fitted temperature; never above `nllBefore`. */
  nllAfter: number;
  /**
   * True when the optimum sits at the edge of the search range: the held-out set is too small or
   * too easy (no confident mistakes, so ever lower T keeps lowering the loss). Do not trust T then.
   */
  atBound: boolean;
  /** Loss evaluations the search took. */
  evaluations: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Fits the temperature T on row-major softmax outputs `probs` (`numClasses` per row) and integer
 * `labels`, by golden-section search on log T. The loss of `softmax(z / T)` is convex in 1/T, so
 * it has one minimum along log T and the search cannot be trapped; no gradient or step size to
 * tune. Work from the validation split, never the test set. The models end in softmax, so the
 * log-probabilities stand in for the logits (they differ by a per-row constant, which softmax
 * ignores); apply the result with `applyTemperature`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitTemperature } from "./fit_temperature.ts";
 * // Two over-confident rows: 99% sure each time, right once, wrong once.
 * const fit = fitTemperature(new Float32Array([0.99, 0.01, 0.99, 0.01]), [0, 1], 2);
 * assert.ok(fit.temperature > 1 && fit.nllAfter < fit.nllBefore);
 * ```
 */
export function fitTemperature(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  options: FitTemperatureOptions = {},
): TemperatureFit {
  _checkProbabilities("fitTemperature", probs, labels, numClasses);
  if (labels.length === 0) throw new RangeError("fitTemperature needs at least one labelled row");
  const min = options.min ?? 0.05, max = options.max ?? 20, tolerance = options.tolerance ?? 1e-6;
  if (!(min > 0 && max > min && Number.isFinite(max))) {
    throw new RangeError(`fitTemperature: need 0 < min < max, got min ${min}, max ${max}`);
  }
  const logProbs = _logProbabilities(probs);
  let evaluations = 0;
  const loss = (logT: number) => {
    evaluations++;
    return _meanNll(logProbs, labels, numClasses, Math.exp(logT));
  };
  const best = _goldenSection(loss, Math.log(min), Math.log(max), tolerance);
  const nllBefore = loss(0);
  // The search is exact for a unimodal loss; this guard only absorbs rounding near T = 1.
  const keep = best.value <= nllBefore;
  const temperature = keep ? Math.exp(best.x) : 1;
  const logT = Math.log(temperature);
  return {
    temperature,
    nllBefore,
    nllAfter: keep ? best.value : nllBefore,
    atBound: logT - Math.log(min) < 1e-3 || Math.log(max) - logT < 1e-3,
    evaluations,
  };
}

/** Natural logs of the probabilities, floored at the smallest float32 so a 0 stays finite. */
function _logProbabilities(probs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(probs.length);
  for (let i = 0; i < probs.length; i++) out[i] = Math.log(Math.max(MIN_PROBABILITY, probs[i]!));
  return out;
}

/** Mean over rows of `logsumexp(l / T) - l[label] / T`, the loss of softmax(l / T). */
function _meanNll(
  logProbs: Float64Array,
  labels: ArrayLike<number>,
  numClasses: number,
  temperature: number,
): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    const start = r * numClasses;
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) max = Math.max(max, logProbs[start + k]! / temperature);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += Math.exp(logProbs[start + k]! / temperature - max);
    total += max + Math.log(sum) - logProbs[start + labels[r]!]! / temperature;
  }
  return total / labels.length;
}

/** Minimum of a unimodal `f` on [lo, hi] by golden-section search. */
function _goldenSection(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tolerance: number,
): { x: number; value: number } {
  let a = lo, b = hi;
  let c = b - GOLDEN * (b - a), d = a + GOLDEN * (b - a);
  let fc = f(c), fd = f(d);
  while (b - a > tolerance) {
    if (fc <= fd) {
      b = d, d = c, fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  // The ends themselves are candidates too, so an optimum at the edge is found exactly.
  const candidates = [{ x: lo, value: f(lo) }, { x: hi, value: f(hi) }, { x: c, value: fc }, {
    x: d,
    value: fd,
  }];
  return candidates.reduce((best, next) => next.value < best.value ? next : best);
}
