/**
 * `Softmax` over the last axis of float32 logits as one literal loop per row. The cpu kernel runs
 * six kernels for it (max, reshape, sub, exp, sum, reshape, div), each allocating its output:
 * about 16 µs for one image's 10 classes, while a batch-1 compact-cnn call is about 250 µs and
 * runs two softmaxes (the model's and the calibration's). The loop computes the same float32
 * values as the cpu kernel, bit for bit: the same rounding after the subtraction, the exponent
 * and the division, and the row sum in float64. Other axes and dtypes fall back to the cpu kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { _alloc, _f32, type _KernelArgs, type _NativeKernel, _output } from "./_kernel_types.ts";

/** Softmax of each `cols`-long row of `x` into `out`, rounded as the cpu kernel rounds. */
export function _softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = x[base]!;
    for (let j = 0; j < cols; j++) {
      const v = x[base + j]!;
      if (Number.isNaN(v) || v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      out[base + j] = Math.exp(Math.fround(x[base + j]! - max));
      sum += out[base + j]!;
    }
    const total = Math.fround(sum);
    for (let j = 0; j < cols; j++) out[base + j] = out[base + j]! / total;
  }
}

/** The native `Softmax` kernel. */
export function _softmaxKernels(): _NativeKernel[] {
  return [{
    kernelName: tf.Softmax,
    kernelFunc: (args: _KernelArgs, fallback) => {
      const { logits } = args.inputs as { logits: tf.TensorInfo };
      const rank = logits.shape.length;
      const dim = args.attrs?.dim as number | undefined;
      const last = dim === undefined || dim === -1 || dim === rank - 1;
      const size = tf.util.sizeFromShape(logits.shape);
      if (logits.dtype !== "float32" || rank === 0 || !last || size === 0) return fallback(args);
      const cols = logits.shape[rank - 1]!;
      const out = _alloc(args.backend, size);
      _softmaxRows(_f32(args.backend, logits), out, size / cols, cols);
      return _output(args.backend, [...logits.shape], out);
    },
  }];
}
