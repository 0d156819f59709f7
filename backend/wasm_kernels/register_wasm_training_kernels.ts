import * as tf from "@tensorflow/tfjs";
// The package registers its own kernels on import; importing it first lets ours win.
import "@tensorflow/tfjs-backend-wasm";
import { conv2dBackpropFilterKernel } from "./conv2d_backprop_filter_kernel.ts";
import { conv2dBackpropInputKernel } from "./conv2d_backprop_input_kernel.ts";
import { maxPoolGradKernel } from "./max_pool_grad_kernel.ts";

/** The kernels this module adds to (or replaces on) the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  maxPoolGradKernel,
];

/**
 * Registers the gradient kernels that make every model-zoo layer train fast on `wasm`:
 * Conv2DBackpropFilter (missing in tfjs-backend-wasm), and faster Conv2DBackpropInput and
 * MaxPoolGrad (replacing wasm's own). Idempotent; call before or after the backend is created.
 *
 * @example
 * ```ts
 * registerWasmTrainingKernels();
 * ```
 */
export function registerWasmTrainingKernels(): void {
  for (const kernel of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(kernel.kernelName, "wasm") === kernel) continue;
    if (tf.getKernel(kernel.kernelName, "wasm") !== undefined) {
      tf.unregisterKernel(kernel.kernelName, "wasm");
    }
    tf.registerKernel(kernel);
  }
}
