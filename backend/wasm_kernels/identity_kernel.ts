import * as tf from "@tensorflow/tfjs";
import { _wrapWasmKernel } from "./_wrap_wasm_kernel.ts";

/** The slice of BackendWasm this kernel uses. */
interface _RefCounted {
  incRef(dataId: tf.DataId): void;
}

/**
 * Wraps wasm's `Identity` so it shares the input's memory (one more reference, as the cpu backend
 * does) instead of copying it: tfjs-layers calls Identity on every activation of every layer, and
 * wasm kernels never write their inputs, so sharing is safe. Strings keep wasm's own path.
 *
 * @example
 * ```ts ignore
 * tf.registerKernel(identityKernel());
 * ```
 */
export function identityKernel(): tf.KernelConfig {
  return _wrapWasmKernel(tf.Identity, (original) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (x.dtype === "string") return original(args);
    (args.backend as unknown as _RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
