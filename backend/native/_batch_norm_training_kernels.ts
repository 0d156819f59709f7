/**
 * The native backend's fused training-mode batch norm (see backend/batch_norm_training.ts): the
 * shared loops on the backend's JS arrays, outputs from its recycling pool.
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTrainingKernels } from "../batch_norm_training.ts";
import { _alloc, type _CpuBackend, _f32, _output } from "./_kernel_types.ts";

/** Kernel configs for the native backend (tfjs has no cpu kernel of these names to fall back to). */
export function _batchNormTrainingKernels(backendName: string): tf.KernelConfig[] {
  return batchNormTrainingKernels(backendName, (b) => {
    const backend = b as _CpuBackend;
    return {
      allocate: (shape) => _output(backend, shape, _alloc(backend, tf.util.sizeFromShape(shape))),
      view: (info) => _f32(backend, info),
    };
  });
}
