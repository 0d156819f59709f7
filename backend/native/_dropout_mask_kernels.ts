/**
 * The native backend's dropout mask kernel (backend/dropout_mask.ts): the mask is written into a
 * recycled array, which a fresh one would first zero-fill and page in (about as long as the fill
 * itself for deotte's first dropout).
 */
import * as tf from "@tensorflow/tfjs";
import { DROPOUT_MASK, type DropoutState, fillDropoutMask } from "../dropout_mask.ts";
import { _alloc, type _CpuBackend, _output } from "./_kernel_types.ts";

/** Kernel config for `backendName` (tfjs has no kernel of this name). */
export function _dropoutMaskKernels(backendName: string): tf.KernelConfig[] {
  const kernelFunc: tf.KernelFunc = ({ backend, attrs }) => {
    const b = backend as unknown as _CpuBackend;
    const shape = attrs!.shape as unknown as number[];
    const out = _alloc(b, tf.util.sizeFromShape(shape));
    fillDropoutMask(out, attrs!.rate as number, attrs!.state as unknown as DropoutState);
    return _output(b, [...shape], out);
  };
  return [{ kernelName: DROPOUT_MASK, backendName, kernelFunc }];
}
