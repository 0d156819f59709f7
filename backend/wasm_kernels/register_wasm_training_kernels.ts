import * as tf from "@tensorflow/tfjs";
// The package registers its own kernels on import; importing it first lets ours win.
import "@tensorflow/tfjs-backend-wasm";
import { conv2dBackpropFilterKernel } from "./conv2d_backprop_filter_kernel.ts";
import { conv2dBackpropInputKernel } from "./conv2d_backprop_input_kernel.ts";
import { maxPoolGradKernel } from "./max_pool_grad_kernel.ts";
import { batchMatMulKernel } from "./batch_mat_mul_kernel.ts";
import { reduceKernels } from "./reduce_kernels.ts";
import { tileKernel } from "./tile_kernel.ts";
import { identityKernel } from "./identity_kernel.ts";
import type { _HeapBackend } from "./_heap.ts";
import { batchNormTrainingKernels } from "../batch_norm_training.ts";

let _kernels: tf.KernelConfig[] | undefined;

/** The kernels this module adds to (or replaces on) the wasm backend, built once. */
export function wasmTrainingKernels(): readonly tf.KernelConfig[] {
  _kernels ??= [
    conv2dBackpropFilterKernel,
    conv2dBackpropInputKernel,
    maxPoolGradKernel,
    batchMatMulKernel(),
    ...reduceKernels(),
    tileKernel(),
    identityKernel(),
    // The fused training-mode batch norm, on views of the wasm heap.
    ...batchNormTrainingKernels("wasm", (b) => {
      const heap = b as _HeapBackend;
      return {
        allocate: (shape) => heap.makeOutput(shape, "float32"),
        view: (info) => heap.typedArrayFromHeap(info),
      };
    }),
  ];
  return _kernels;
}

/**
 * Registers the kernels that make every model-zoo layer train fast on `wasm`:
 * Conv2DBackpropFilter (missing in tfjs-backend-wasm), and faster Conv2DBackpropInput,
 * MaxPoolGrad, transposed BatchMatMul, leading-axis Sum/Mean, Tile and a copy-free Identity
 * (wrapping or replacing wasm's own), and the fused training-mode batch norm. Idempotent; call
 * before or after the backend is created.
 *
 * @example
 * ```ts
 * registerWasmTrainingKernels();
 * ```
 */
export function registerWasmTrainingKernels(): void {
  for (const kernel of wasmTrainingKernels()) {
    if (tf.getKernel(kernel.kernelName, "wasm") === kernel) continue;
    if (tf.getKernel(kernel.kernelName, "wasm") !== undefined) {
      tf.unregisterKernel(kernel.kernelName, "wasm");
    }
    tf.registerKernel(kernel);
  }
}
