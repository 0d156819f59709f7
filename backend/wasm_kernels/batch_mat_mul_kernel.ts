import * as tf from "@tensorflow/tfjs";
import { _wrapWasmKernel } from "./_wrap_wasm_kernel.ts";

/**
 * Wraps wasm's `BatchMatMul` so transposed operands are transposed explicitly first: wasm's own
 * transposeA/transposeB path is ~8× slower than Transpose + plain matmul, and dense-layer
 * gradients use exactly those two flags.
 *
 * @example
 * ```ts ignore
 * tf.registerKernel(batchMatMulKernel());
 * ```
 */
export function batchMatMulKernel(): tf.KernelConfig {
  return _wrapWasmKernel(tf.BatchMatMul, (original) => (args) => {
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    const { a, b } = args.inputs as unknown as { a: tf.Tensor; b: tf.Tensor };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    return tf.tidy(() => {
      const a2 = attrs.transposeA ? _swapLastTwo(a) : a;
      const b2 = attrs.transposeB ? _swapLastTwo(b) : b;
      return original({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.Tensor;
    });
  });
}

function _swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return tf.transpose(t, perm);
}
