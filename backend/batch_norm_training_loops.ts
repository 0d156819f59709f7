/**
 * The loops behind the fused training-mode batch norm kernels (backend/batch_norm_training.ts),
 * on plain float32 arrays in channels-last order, so the native backend (JS arrays) and the wasm
 * backend (views of its heap) share them. Per-channel sums are float64. Hand-written because the
 * work is memory-bound: two passes each way replace about twenty element-wise kernels that each
 * read and wrote the whole activation.
 *
 * @module
 */

/** The forward pass's arrays: inputs x, scale, offset; outputs y, mean, variance. */
export interface BatchNormForwardArrays {
  x: Float32Array;
  scale: Float32Array;
  offset: Float32Array;
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

/** The backward pass's arrays: inputs dy, x, mean, variance, scale; outputs dx, dScale, dOffset. */
export interface BatchNormBackwardArrays {
  dy: Float32Array;
  x: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  scale: Float32Array;
  dx: Float32Array;
  dScale: Float32Array;
  dOffset: Float32Array;
}

/**
 * y = (x − mean)·γ/√(var+ε) + β with the batch mean and (biased) variance of each of the last
 * axis's `scale.length` channels, which it also writes.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * const a = { x: new Float32Array([1, 3]), scale: new Float32Array([1]), offset: new Float32Array([0]),
 *   y: new Float32Array(2), mean: new Float32Array(1), variance: new Float32Array(1) };
 * batchNormForward(a, 0);
 * assert.ok(a.mean[0] === 2 && a.variance[0] === 1 && a.y[0] === -1);
 * ```
 */
export function batchNormForward(a: BatchNormForwardArrays, epsilon: number): void {
  const { x, scale, offset, y, mean, variance } = a;
  const c = scale.length;
  const rows = x.length / c;
  // Sums of x − shift (the first row) keep E[d²] − E[d]² accurate when |mean| ≫ σ.
  const shift = Float64Array.from(x.subarray(0, c));
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let row = 0; row < x.length; row += c) {
    for (let j = 0; j < c; j++) {
      const d = x[row + j]! - shift[j]!;
      sum[j]! += d;
      sq[j]! += d * d;
    }
  }
  const k = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const m = sum[j]! / rows;
    const v = Math.max(0, sq[j]! / rows - m * m);
    mean[j] = shift[j]! + m;
    variance[j] = v;
    k[j] = scale[j]! / Math.sqrt(v + epsilon);
  }
  for (let row = 0; row < x.length; row += c) {
    for (let j = 0; j < c; j++) y[row + j] = (x[row + j]! - mean[j]!) * k[j]! + offset[j]!;
  }
}

/**
 * The closed-form gradient: dγ = Σ dy·x̂, dβ = Σ dy and
 * dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), with x̂ recomputed from x and the statistics.
 */
export function batchNormBackward(a: BatchNormBackwardArrays, epsilon: number): void {
  const { dy, x, mean, variance, scale, dx, dScale, dOffset } = a;
  const c = scale.length;
  const rows = x.length / c;
  const sumDy = new Float64Array(c);
  const sumDyX = new Float64Array(c);
  for (let row = 0; row < x.length; row += c) {
    for (let j = 0; j < c; j++) {
      const g = dy[row + j]!;
      sumDy[j]! += g;
      sumDyX[j]! += g * (x[row + j]! - mean[j]!);
    }
  }
  // dx = s·dy + p·(x − mean) + q per channel, folding the closed form's per-channel terms.
  const s = new Float64Array(c);
  const p = new Float64Array(c);
  const q = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const invStd = 1 / Math.sqrt(variance[j]! + epsilon);
    const dGamma = sumDyX[j]! * invStd;
    dScale[j] = dGamma;
    dOffset[j] = sumDy[j]!;
    s[j] = scale[j]! * invStd;
    p[j] = -s[j]! * invStd * dGamma / rows;
    q[j] = -s[j]! * sumDy[j]! / rows;
  }
  for (let row = 0; row < x.length; row += c) {
    for (let j = 0; j < c; j++) {
      dx[row + j] = s[j]! * dy[row + j]! + p[j]! * (x[row + j]! - mean[j]!) + q[j]!;
    }
  }
}
