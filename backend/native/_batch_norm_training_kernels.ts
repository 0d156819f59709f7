/**
 * The native backend's fused training-mode batch norm (see backend/batch_norm_training.ts): two
 * passes forward and two backward over channels-last data, with per-channel sums in float64.
 * Plain loops rather than BLAS: the work is memory-bound, and these loops replace about twenty
 * element-wise kernels that each read and wrote the whole activation.
 */
import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from "../batch_norm_training.ts";
import { _alloc, _f32, type _KernelArgs, _output } from "./_kernel_types.ts";

/** Channels (last dimension) and rows (everything else) of a channels-last tensor. */
function layout(x: tf.TensorInfo): { c: number; rows: number } {
  const c = x.shape[x.shape.length - 1] ?? 1;
  return { c, rows: tf.util.sizeFromShape(x.shape) / c };
}

/** Checks a per-channel parameter's dtype and length; the error names the kernel and input. */
function perChannel(args: _KernelArgs, name: string, c: number): Float32Array {
  const t = args.inputs[name];
  if (t === undefined || t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== c) {
    throw new TypeError(
      `${BATCH_NORM_TRAINING}: input '${name}' must be float32 with ${c} values (one per channel)`,
    );
  }
  return _f32(args.backend, t);
}

function epsilonOf(args: _KernelArgs): number {
  return (args.attrs?.varianceEpsilon as number | undefined) ?? 1e-3;
}

/** Forward: y = (x − mean)·γ/√(var+ε) + β, and the batch mean and variance per channel. */
function forward(args: _KernelArgs): tf.TensorInfo[] {
  const x = args.inputs.x!;
  if (x.dtype !== "float32") throw new TypeError(`${BATCH_NORM_TRAINING}: x must be float32`);
  const { c, rows } = layout(x);
  const scale = perChannel(args, "scale", c);
  const offset = perChannel(args, "offset", c);
  const xv = _f32(args.backend, x);
  // Sums of x − shift (the first row) keep E[d²] − E[d]² accurate when |mean| ≫ σ.
  const shift = Float64Array.from(xv.subarray(0, c));
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let row = 0; row < xv.length; row += c) {
    for (let j = 0; j < c; j++) {
      const d = xv[row + j]! - shift[j]!;
      sum[j]! += d;
      sq[j]! += d * d;
    }
  }
  const mean = new Float32Array(c);
  const variance = new Float32Array(c);
  const k = new Float64Array(c);
  const eps = epsilonOf(args);
  for (let j = 0; j < c; j++) {
    const m = sum[j]! / rows;
    const v = Math.max(0, sq[j]! / rows - m * m);
    mean[j] = shift[j]! + m;
    variance[j] = v;
    k[j] = scale[j]! / Math.sqrt(v + eps);
  }
  const y = _alloc(args.backend, xv.length);
  for (let row = 0; row < xv.length; row += c) {
    for (let j = 0; j < c; j++) y[row + j] = (xv[row + j]! - mean[j]!) * k[j]! + offset[j]!;
  }
  return [
    _output(args.backend, [...x.shape], y),
    _output(args.backend, [c], mean),
    _output(args.backend, [c], variance),
  ];
}

/** Backward: dx, dγ = Σ dy·x̂ and dβ = Σ dy, with x̂ recomputed from x and the saved statistics. */
function backward(args: _KernelArgs): tf.TensorInfo[] {
  const x = args.inputs.x!;
  const dyInfo = args.inputs.dy!;
  if (x.dtype !== "float32" || dyInfo.dtype !== "float32") {
    throw new TypeError(`${BATCH_NORM_TRAINING_GRAD}: dy and x must be float32`);
  }
  const { c, rows } = layout(x);
  const mean = perChannel(args, "mean", c);
  const variance = perChannel(args, "variance", c);
  const scale = perChannel(args, "scale", c);
  const xv = _f32(args.backend, x);
  const dy = _f32(args.backend, dyInfo);
  const sumDy = new Float64Array(c);
  const sumDyX = new Float64Array(c);
  for (let row = 0; row < xv.length; row += c) {
    for (let j = 0; j < c; j++) {
      const g = dy[row + j]!;
      sumDy[j]! += g;
      sumDyX[j]! += g * (xv[row + j]! - mean[j]!);
    }
  }
  const eps = epsilonOf(args);
  const dScale = new Float32Array(c);
  const dOffset = new Float32Array(c);
  // dx = a·dy + p·(x − mean) + q per channel, folding the closed form's per-channel terms.
  const a = new Float64Array(c);
  const p = new Float64Array(c);
  const q = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const invStd = 1 / Math.sqrt(variance[j]! + eps);
    const dGamma = sumDyX[j]! * invStd;
    dScale[j] = dGamma;
    dOffset[j] = sumDy[j]!;
    a[j] = scale[j]! * invStd;
    p[j] = -a[j]! * invStd * dGamma / rows;
    q[j] = -a[j]! * sumDy[j]! / rows;
  }
  const dx = _alloc(args.backend, xv.length);
  for (let row = 0; row < xv.length; row += c) {
    for (let j = 0; j < c; j++) {
      dx[row + j] = a[j]! * dy[row + j]! + p[j]! * (xv[row + j]! - mean[j]!) + q[j]!;
    }
  }
  return [
    _output(args.backend, [...x.shape], dx),
    _output(args.backend, [c], dScale),
    _output(args.backend, [c], dOffset),
  ];
}

/** Kernel configs for the native backend (tfjs has no cpu kernel of these names to fall back to). */
export function _batchNormTrainingKernels(backendName: string): tf.KernelConfig[] {
  return [
    { kernelName: BATCH_NORM_TRAINING, backendName, kernelFunc: forward },
    { kernelName: BATCH_NORM_TRAINING_GRAD, backendName, kernelFunc: backward },
  ] as unknown as tf.KernelConfig[];
}
