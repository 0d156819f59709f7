/**
 * Batch normalization in training mode as one op with one gradient, for backends that register
 * the fused kernels (the native backend does).
 *
 * tfjs-layers builds training-mode batch norm from `tf.moments` and `tf.batchNorm`, and its
 * gradient flows back through both: about 20 full-size element-wise kernels per layer, each a
 * separate single-threaded pass with a fresh output array. Profiling a deotte training step on
 * the native backend put those element-wise kernels at about half the step's time. The fused op
 * makes two passes forward (per-channel sums, then the output) and two backward (per-channel sums
 * of dy and dy·x̂, then dx) with the closed-form gradient
 *
 *   dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormBackward, batchNormForward } from "./batch_norm_training_loops.ts";

/** Kernel: inputs x (channels last), scale, offset; attr varianceEpsilon → [y, mean, variance]. */
export const BATCH_NORM_TRAINING = "DigitsBatchNormTraining";
/** Kernel: inputs dy, x, mean, variance, scale; attr varianceEpsilon → [dx, dScale, dOffset]. */
export const BATCH_NORM_TRAINING_GRAD = "DigitsBatchNormTrainingGrad";

let gradientRegistered = false;

/** Whether the active backend has the fused kernels (otherwise use tfjs's own composition). */
export function hasBatchNormTraining(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAINING_GRAD, tf.getBackend()) !== undefined;
}

/**
 * Normalizes `x` over every axis but the last with the batch's own statistics, then scales and
 * shifts per channel. Returns the output and the batch mean and (biased) variance, which the
 * caller folds into its moving averages. Differentiable with respect to x, scale and offset.
 *
 * @example
 * ```ts ignore
 * if (hasBatchNormTraining()) {
 *   const [y, mean, variance] = batchNormTraining(x, gamma, beta, 1e-3);
 * }
 * ```
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  varianceEpsilon: number,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  if (!gradientRegistered) {
    tf.registerGradient({
      kernelName: BATCH_NORM_TRAINING,
      inputsToSave: ["x", "scale"],
      outputsToSave: [false, true, true],
      gradFunc: (dys, saved, attrs) => {
        // Only y's gradient matters: the mean and variance feed the moving averages, not the loss.
        const dy = Array.isArray(dys) ? dys[0]! : dys;
        const [x, scale, mean, variance] = saved as tf.Tensor[];
        const [dx, dScale, dOffset] = tf.engine().runKernel(
          BATCH_NORM_TRAINING_GRAD,
          { dy, x: x!, mean: mean!, variance: variance!, scale: scale! },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
        return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
      },
    });
    gradientRegistered = true;
  }
  return tf.engine().runKernel(
    BATCH_NORM_TRAINING,
    { x, scale, offset },
    { varianceEpsilon },
  ) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}

/** How a backend's kernel reads and allocates float32 tensors. */
export interface KernelArrays {
  /** A new float32 tensor of `shape` on the backend (contents undefined). */
  allocate(shape: number[]): tf.TensorInfo;
  /** The tensor's values. Taken after every allocation: wasm's heap may move when it grows. */
  view(info: tf.TensorInfo): Float32Array;
}

/**
 * The two fused kernels for a backend, running the loops of batch_norm_training_loops.ts on the
 * arrays `arrays(backend)` gives. Inputs are checked: float32, and one value per channel (the
 * last dimension) for the per-channel ones; the error names the kernel and the input.
 */
export function batchNormTrainingKernels(
  backendName: string,
  arrays: (backend: unknown) => KernelArrays,
): tf.KernelConfig[] {
  const check = (kernel: string, inputs: tf.NamedTensorInfoMap, perChannel: string[]) => {
    const x = inputs.x!;
    const c = x.shape[x.shape.length - 1] ?? 1;
    for (const [name, t] of Object.entries(inputs)) {
      const n = perChannel.includes(name) ? c : tf.util.sizeFromShape(x.shape);
      if (t === undefined || t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== n) {
        const what = perChannel.includes(name) ? `${c} values (one per channel)` : "x's shape";
        throw new TypeError(`${kernel}: input '${name}' must be float32 with ${what}`);
      }
    }
    return c;
  };
  const epsilonOf = (attrs: tf.NamedAttrMap | undefined) =>
    (attrs?.varianceEpsilon as number | undefined) ?? 1e-3;
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const c = check(BATCH_NORM_TRAINING, inputs, ["scale", "offset"]);
    const io = arrays(backend);
    const out = [io.allocate([...inputs.x!.shape]), io.allocate([c]), io.allocate([c])];
    batchNormForward({
      x: io.view(inputs.x!),
      scale: io.view(inputs.scale!),
      offset: io.view(inputs.offset!),
      y: io.view(out[0]!),
      mean: io.view(out[1]!),
      variance: io.view(out[2]!),
    }, epsilonOf(attrs));
    return out;
  };
  const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const c = check(BATCH_NORM_TRAINING_GRAD, inputs, ["mean", "variance", "scale"]);
    const io = arrays(backend);
    const out = [io.allocate([...inputs.x!.shape]), io.allocate([c]), io.allocate([c])];
    batchNormBackward({
      dy: io.view(inputs.dy!),
      x: io.view(inputs.x!),
      mean: io.view(inputs.mean!),
      variance: io.view(inputs.variance!),
      scale: io.view(inputs.scale!),
      dx: io.view(out[0]!),
      dScale: io.view(out[1]!),
      dOffset: io.view(out[2]!),
    }, epsilonOf(attrs));
    return out;
  };
  return [
    { kernelName: BATCH_NORM_TRAINING, backendName, kernelFunc: forward },
    { kernelName: BATCH_NORM_TRAINING_GRAD, backendName, kernelFunc: backward },
  ];
}
