/**
 * `Sum` and `Mean` over a contiguous block of axes (e.g. [0, 1, 2] of NHWC for per-channel
 * statistics, or the last axis), and `Tile` that repeats a whole tensor along new leading
 * dimensions (batch norm's gradient). The cpu backend transposes the reduced axes to the end
 * element by element first, which dominates batch-norm layers. Sums accumulate in float64 like
 * the cpu backend. Other axis sets and dtypes fall back to the cpu kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { _alloc, _f32, type _KernelArgs, type _NativeKernel, _output } from "./_kernel_types.ts";

/** Sums x viewed as [outer, reduce, inner] over the middle dimension into float64. */
function sumBlock(x: Float32Array, outer: number, reduce: number, inner: number): Float64Array {
  const acc = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * reduce;
      for (let r = 0; r < reduce; r++) s += x[base + r]!;
      acc[o] = s;
    }
    return acc;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let r = 0; r < reduce; r++) {
      const xb = (o * reduce + r) * inner;
      for (let i = 0; i < inner; i++) acc[ob + i]! += x[xb + i]!;
    }
  }
  return acc;
}

function reduceKernel(kernelName: string, mean: boolean): _NativeKernel {
  return {
    kernelName,
    kernelFunc: (args: _KernelArgs, fallback) => {
      const x = args.inputs.x!;
      if (x.dtype !== "float32") return fallback(args);
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(args.attrs?.axis as number | number[], x.shape)
        .sort((p, q) => p - q);
      if (axes.length === 0) return fallback(args);
      const first = axes[0]!;
      const last = axes[axes.length - 1]!;
      if (last - first + 1 !== axes.length) return fallback(args);
      const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
      const reduce = tf.util.sizeFromShape(x.shape.slice(first, last + 1));
      const inner = tf.util.sizeFromShape(x.shape.slice(last + 1));
      const acc = sumBlock(_f32(args.backend, x), outer, reduce, inner);
      const out = _alloc(args.backend, acc.length);
      const scale = mean ? 1 / reduce : 1;
      for (let i = 0; i < acc.length; i++) out[i] = acc[i]! * scale;
      const keepDims = Boolean(args.attrs?.keepDims);
      const shape: number[] = [];
      for (let d = 0; d < rank; d++) {
        if (d < first || d > last) shape.push(x.shape[d]!);
        else if (keepDims) shape.push(1);
      }
      return _output(args.backend, shape, out);
    },
  };
}

const tileKernel: _NativeKernel = {
  kernelName: tf.Tile,
  kernelFunc: (args, fallback) => {
    const x = args.inputs.x!;
    const reps = args.attrs?.reps as number[];
    if (x.dtype !== "float32" || reps.length !== x.shape.length) return fallback(args);
    // Fast case: every dimension before the last repeated one has size 1 in x, so the output is
    // x repeated prod(reps) times, block after block.
    let lastRepeated = -1;
    for (let d = 0; d < reps.length; d++) if (reps[d] !== 1) lastRepeated = d;
    for (let d = 0; d < lastRepeated; d++) if (x.shape[d] !== 1) return fallback(args);
    const xv = _f32(args.backend, x);
    const times = reps.reduce((p, q) => p * q, 1);
    const out = _alloc(args.backend, xv.length * times);
    for (let t = 0; t < times; t++) out.set(xv, t * xv.length);
    return _output(args.backend, x.shape.map((s, d) => s * reps[d]!), out);
  },
};

/** The native reduction and tiling kernels. */
export function _reduceKernels(): _NativeKernel[] {
  return [reduceKernel(tf.Sum, false), reduceKernel(tf.Mean, true), tileKernel];
}
