/**
 * A 2-D convolution with bias and ReLU as one op with one gradient, for backends that register
 * the kernels (the native backend does).
 *
 * tfjs's `fused.conv2d` runs fused only for inference: while gradients are recorded it falls
 * apart into Conv2D, an Add for the bias and a Relu, and its gradient into Step × Multiply for
 * ReLU, a Sum over N, H, W for the bias, then both convolution gradients: five full-size passes
 * beside the convolutions. Profiling deotte at batch 64 on the native backend put Step, Multiply,
 * Add, Relu and Sum of its seven convolution layers at about 20 % of a training step. Here the
 * forward pass is one `FusedConv2D` (bias and ReLU fused into the convolution's output pass), and
 * the gradient one kernel that masks dy with y > 0 and sums the bias gradient while computing the
 * filter gradient, plus the input gradient when the input needs one.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Kernel: inputs x (NHWC), filter (HWIO), bias; attrs strides, pad, dimRoundingMode → relu(x∗w+b). */
export const CONV2D_BIAS_RELU = "DigitsConv2DBiasRelu";
/**
 * Kernel: inputs dy, x, y (the forward output); attrs strides, pad, dimRoundingMode and
 * filterShape → [dyr = dy·(y > 0), dFilter, dBias].
 */
export const CONV2D_BIAS_RELU_GRAD = "DigitsConv2DBiasReluGrad";

/** Geometry of {@linkcode conv2dBiasRelu}: as tfjs's conv2d, NHWC and dilation 1 only. */
export interface Conv2dGeometry {
  strides: [number, number];
  pad: "same" | "valid";
}

let gradientRegistered = false;

/** Whether the active backend has both kernels (otherwise use tfjs's own composition). */
export function hasConv2dBiasRelu(): boolean {
  return tf.getKernel(CONV2D_BIAS_RELU, tf.getBackend()) !== undefined &&
    tf.getKernel(CONV2D_BIAS_RELU_GRAD, tf.getBackend()) !== undefined;
}

function registerGradient(): void {
  tf.registerGradient({
    kernelName: CONV2D_BIAS_RELU,
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dys, saved, attrs) => {
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as Conv2dGeometry & { dimRoundingMode?: string };
      const [dyr, dFilter, dBias] = tf.engine().runKernel(
        CONV2D_BIAS_RELU_GRAD,
        { dy, x, y },
        { ...a, filterShape: filter.shape } as unknown as tf.NamedAttrMap,
      ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      return {
        // Called only when x needs a gradient (not for the model's input layer).
        x: () =>
          tf.engine().runKernel(
            tf.Conv2DBackpropInput,
            { dy: dyr, filter },
            {
              strides: a.strides,
              pad: a.pad,
              dataFormat: "NHWC",
              dimRoundingMode: a.dimRoundingMode,
              inputShape: x.shape,
            } as unknown as tf.NamedAttrMap,
          ) as tf.Tensor4D,
        filter: () => dFilter,
        bias: () => dBias,
      };
    },
  });
  gradientRegistered = true;
}

/**
 * relu(conv2d(x, filter) + bias) for NHWC `x`, HWIO `filter` and one bias per output channel, as
 * `tf.fused.conv2d({..., activation: "relu"})` computes it, differentiable with respect to all
 * three. Only call it where {@linkcode hasConv2dBiasRelu} is true.
 *
 * @example
 * ```ts ignore
 * if (hasConv2dBiasRelu()) {
 *   const y = conv2dBiasRelu(x, kernel, bias, { strides: [1, 1], pad: "same" });
 * }
 * ```
 */
export function conv2dBiasRelu(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  if (!gradientRegistered) registerGradient();
  return tf.engine().runKernel(
    CONV2D_BIAS_RELU,
    { x, filter, bias },
    { strides: geometry.strides, pad: geometry.pad } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor4D;
}
