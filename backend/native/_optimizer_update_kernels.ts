/**
 * The native backend's one-pass optimizer kernels (see backend/optimizer_update_kernels.ts): the
 * shared loops on the backend's JS arrays, updating in place when the backend's recycling pool
 * owns the array (a native kernel wrote it and nobody read it out with `dataSync`) and no other
 * tensor shares it; fresh outputs from the pool otherwise. Weights too are updated in place, so no
 * native kernel may cache anything derived from a weight tensor's values by its dataId.
 */
import * as tf from "@tensorflow/tfjs";
import { optimizerUpdateKernels } from "../optimizer_update_kernels.ts";
import { _alloc, type _CpuBackend, _f32, _output } from "./_kernel_types.ts";

/** Kernel configs for the native backend (tfjs has no cpu kernel of these names). */
export function _optimizerUpdateKernels(backendName: string): tf.KernelConfig[] {
  return optimizerUpdateKernels(backendName, (b) => {
    const backend = b as _CpuBackend;
    return {
      allocate: (shape) => _output(backend, shape, _alloc(backend, tf.util.sizeFromShape(shape))),
      view: (info) => _f32(backend, info),
      writable: (info) =>
        backend.refCount(info.dataId) === 1 &&
        backend.isPrivate(backend.data.get(info.dataId).values),
      share: (info) => {
        backend.incRef(info.dataId);
        return { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
      },
    };
  });
}
