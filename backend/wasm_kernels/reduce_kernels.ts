import * as tf from "@tensorflow/tfjs";
import { _wrapWasmKernel } from "./_wrap_wasm_kernel.ts";
import { _heapBackend } from "./_heap.ts";

/**
 * Wraps wasm's `Sum` and `Mean`: a reduction over leading axes (bias gradients and batch-norm
 * statistics reduce NHWC over N,H,W) is one sequential pass over the heap adding rows into float64
 * accumulators, instead of wasm's transpose-then-reduce (~5× faster, and more accurate). Other
 * reductions go to wasm's own kernel.
 *
 * @example
 * ```ts ignore
 * for (const k of reduceKernels()) tf.registerKernel(k);
 * ```
 */
export function reduceKernels(): tf.KernelConfig[] {
  return [tf.Sum, tf.Mean].map((name) =>
    _wrapWasmKernel(name, (original) => (args) => {
      const { x } = args.inputs as unknown as { x: tf.Tensor };
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const lead = _leadingAxes(x.shape, axis);
      if (x.dtype !== "float32" || lead === 0) return original(args);
      const m = x.shape.slice(0, lead).reduce((p, q) => p * q, 1);
      const rest = x.shape.slice(lead);
      const heap = _heapBackend();
      const out = heap.makeOutput(
        keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...rest] : rest,
        "float32",
      );
      _sumRows(
        heap.typedArrayFromHeap(x),
        m,
        heap.typedArrayFromHeap(out),
        name === tf.Mean ? 1 / m : 1,
      );
      return out;
    })
  );
}

/** k when the reduction axes are exactly 0..k−1 with k < rank and the rest non-trivial; else 0. */
function _leadingAxes(shape: number[], axis: number | number[] | null | undefined): number {
  const rank = shape.length;
  // null/undefined axis means "reduce everything" (tf.sum(x)); parseAxisParam expands it.
  const axes = [...new Set(tf.util.parseAxisParam(axis ?? shape.map((_, i) => i), shape))].sort((
    p,
    q,
  ) => p - q);
  if (axes.length === 0 || axes.length >= rank) return 0;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return 0;
  return axes.length;
}

/** out[c] = scale · Σ_r x[r·C + c] for an [M, C] row-major matrix, accumulated in float64. */
function _sumRows(x: Float32Array, m: number, out: Float32Array, scale: number): void {
  const c = out.length;
  const acc = new Float64Array(c);
  for (let r = 0, base = 0; r < m; r++, base += c) {
    for (let j = 0; j < c; j++) acc[j]! += x[base + j]!;
  }
  for (let j = 0; j < c; j++) out[j] = acc[j]! * scale;
}
