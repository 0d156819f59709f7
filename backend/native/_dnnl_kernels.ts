/**
 * The native backend's oneDNN kernels, in one list for register_native_backend.ts. Each one runs
 * the cases oneDNN handles and passes the rest to the kernel of the same name registered before it
 * (OpenBLAS or JS loops). Which kernels are here was decided by measurement: see each file.
 */
import type { _DnnlLibrary } from "./_dnnl.ts";
import type { _NativeKernel } from "./_kernel_types.ts";
import { _dnnlConv2dKernels } from "./_dnnl_conv2d_kernels.ts";
import { _dnnlMaxPoolKernels } from "./_dnnl_max_pool_kernels.ts";
import { _dnnlBatchNormKernels } from "./_dnnl_batch_norm_kernels.ts";
import { _dnnlEltwiseKernels } from "./_dnnl_eltwise_kernels.ts";

/** Every oneDNN kernel of the native backend. */
export function _dnnlKernels(d: _DnnlLibrary): _NativeKernel[] {
  return [
    ..._dnnlConv2dKernels(d),
    ..._dnnlMaxPoolKernels(d),
    ..._dnnlBatchNormKernels(d),
    ..._dnnlEltwiseKernels(d),
  ];
}
