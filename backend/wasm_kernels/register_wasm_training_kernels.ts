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
import { optimizerUpdateKernels } from "../optimizer_update_kernels.ts";

let _kernels: tf.KernelConfig[] | undefined;

/** The reference counting BackendWasm has (the package exports no class type). */
interface _RefCounted {
  refCount(dataId: tf.DataId): number;
  incRef(dataId: tf.DataId): void;
}

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
    // The one-pass optimizer updates. The optimizer's state is updated in place on the heap when
    // no other tensor shares it (wasm's readSync copies out of the heap, so no reader can see a
    // later write); weights never are: XNNPACK keeps conv/dense operators with the weights packed
    // inside, cached by the weight tensor's id, and would go on using the old values.
    ...optimizerUpdateKernels("wasm", (b) => {
      const heap = b as _HeapBackend & _RefCounted;
      return {
        allocate: (shape) => heap.makeOutput(shape, "float32"),
        view: (info) => heap.typedArrayFromHeap(info),
        writable: (info, weights) => !weights && heap.refCount(info.dataId) === 1,
        share: (info) => {
          heap.incRef(info.dataId);
          return { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
        },
      };
    }),
  ];
  return _kernels;
}

/**
 * Registers the kernels that make every model-zoo layer train fast on `wasm`:
 * Conv2DBackpropFilter (missing in tfjs-backend-wasm), and faster Conv2DBackpropInput,
 * MaxPoolGrad, transposed BatchMatMul, leading-axis Sum/Mean, Tile and a copy-free Identity
 * (wrapping or replacing wasm's own), the fused training-mode batch norm and the one-pass
 * optimizer updates. Idempotent; call
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
