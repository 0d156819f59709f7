import * as tf from "@tensorflow/tfjs";
import { _HeapBackend, _heapBackend } from "./_heap.ts";
import { _wrapWasmKernel } from "./_wrap_wasm_kernel.ts";

/**
 * Wraps wasm's `Tile` for the case batch-norm gradients hit ([1,1,1,C] repeated over N,H,W):
 * when only leading size-1 axes repeat, the output is the input block copied end to end, done
 * with doubling `copyWithin` on the wasm heap (wasm's own Tile is element-by-element, ~30× slower).
 *
 * @example
 * ```ts ignore
 * tf.registerKernel(tileKernel());
 * ```
 */
export function tileKernel(): tf.KernelConfig {
  return _wrapWasmKernel(tf.Tile, (original) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    let k = 0; // axes 0..k−1 have size 1 and may repeat; the rest must not repeat
    while (k < x.shape.length && x.shape[k] === 1) k++;
    const simple = x.dtype === "float32" && reps.every((r, i) => i < k || r === 1);
    if (!simple) return original(args);
    const heap: _HeapBackend = _heapBackend();
    const outShape = x.shape.map((d, i) => d * reps[i]!);
    const out = heap.makeOutput(outShape, "float32");
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    const block = src.length;
    if (block > 0) {
      dst.set(src, 0);
      for (let filled = block; filled < dst.length; filled *= 2) {
        dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
      }
    }
    return out;
  });
}
