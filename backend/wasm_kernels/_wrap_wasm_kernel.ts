import * as tf from "@tensorflow/tfjs";

const _originals = new Map<string, tf.KernelConfig>();

/**
 * Builds a replacement for one of tfjs-backend-wasm's own kernels that may fall back to it.
 * The original config is captured once (so re-registration never wraps a wrapper) and its
 * setupFunc is kept: the backend binds its C++ entry point there when it is created.
 */
export function _wrapWasmKernel(
  kernelName: string,
  make: (original: tf.KernelFunc) => tf.KernelFunc,
): tf.KernelConfig {
  let original = _originals.get(kernelName);
  if (original === undefined) {
    original = tf.getKernel(kernelName, "wasm");
    if (original === undefined) {
      throw new Error(`tfjs-backend-wasm has no ${kernelName} kernel to wrap: check its version`);
    }
    _originals.set(kernelName, original);
  }
  const config: tf.KernelConfig = {
    kernelName,
    backendName: "wasm",
    kernelFunc: make(original.kernelFunc),
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  return config;
}
