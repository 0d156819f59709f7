import * as tf from "@tensorflow/tfjs";
import { _heapBackend } from "./_heap.ts";
import { _wrapWasmKernel } from "./_wrap_wasm_kernel.ts";

/**
 * Wraps wasm's `Step` (x > 0 ? 1 : alpha, NaN stays NaN), which every ReLU gradient calls on a
 * full activation tensor, with one heap loop: wasm's own takes ~10 ns per element.
 *
 * @example
 * ```ts
 * tf.registerKernel(stepKernel());
 * ```
 */
export function stepKernel(): tf.KernelConfig {
  return _wrapWasmKernel(tf.Step, (original) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (x.dtype !== "float32") return original(args);
    const alpha = (args.attrs as unknown as tf.StepAttrs).alpha ?? 0;
    const heap = _heapBackend();
    const out = heap.makeOutput(x.shape, "float32");
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = v > 0 ? 1 : v === v ? alpha : v;
    }
    return out;
  });
}
