/**
 * The native backend's kernels for backend/conv2d_bias_relu.ts without oneDNN (oneDNN's faster
 * gradient in _dnnl_conv2d_kernels.ts overrides the gradient and falls back to this one):
 *
 * - the forward pass is the backend's own `FusedConv2D` (oneDNN or OpenBLAS, bias and ReLU fused);
 * - the gradient masks dy (one loop), sums the masked dy per channel for the bias gradient (one
 *   loop; one fused loop measured the same), then runs the backend's `Conv2DBackpropFilter` on it.
 */
import * as tf from "@tensorflow/tfjs";
import { CONV2D_BIAS_RELU, CONV2D_BIAS_RELU_GRAD } from "../conv2d_bias_relu.ts";
import { _alloc, _f32, type _KernelArgs, _output } from "./_kernel_types.ts";

/**
 * out = dy·(y > 0), branch-free (a compare that mispredicts on every other activation costs 10×
 * the arithmetic). y is a ReLU output, so y > 0 is the same mask as tfjs's step(x).
 */
export function _reluGradLoop(dy: Float32Array, y: Float32Array, out: Float32Array): void {
  for (let i = 0; i < dy.length; i++) out[i] = dy[i]! * +(y[i]! > 0);
}

/** Sums x viewed as [rows, c] over its rows into float32 (accumulated in float64). */
export function _columnSums(x: Float32Array, c: number, out: Float32Array): void {
  const acc = new Float64Array(c);
  for (let row = 0; row < x.length; row += c) {
    for (let j = 0; j < c; j++) acc[j]! += x[row + j]!;
  }
  out.set(acc);
}

/** The attrs tfjs's convolution kernels take, NHWC and dilation 1, from ours. */
export function _convAttrs(attrs: tf.NamedAttrMap | undefined): tf.NamedAttrMap {
  return {
    strides: attrs?.strides as [number, number],
    pad: attrs?.pad as string,
    dataFormat: "NHWC",
    dilations: [1, 1],
    dimRoundingMode: attrs?.dimRoundingMode as string,
  };
}

function kernel(name: string, backendName: string): tf.KernelFunc {
  const k = tf.getKernel(name, backendName);
  if (k === undefined) throw new Error(`the ${backendName} backend has no ${name} kernel`);
  return k.kernelFunc;
}

/** The two kernels, registered for `backendName` (whose FusedConv2D and filter gradient they call). */
export function _conv2dBiasReluKernels(backendName: string): tf.KernelConfig[] {
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) =>
    kernel(tf.FusedConv2D, backendName)({
      inputs,
      backend,
      attrs: { ..._convAttrs(attrs), activation: "relu" },
    });
  const gradient: tf.KernelFunc = (args) => {
    const { inputs, attrs } = args;
    const backend = (args as unknown as _KernelArgs).backend;
    const { dy, x, y } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; y: tf.TensorInfo };
    const c = y.shape[3]!;
    const dyv = _f32(backend, dy);
    const dyr = _alloc(backend, dyv.length);
    _reluGradLoop(dyv, _f32(backend, y), dyr);
    const dBias = _alloc(backend, c);
    _columnSums(dyr, c, dBias);
    const dyrInfo = _output(backend, [...y.shape], dyr);
    const dFilter = kernel(tf.Conv2DBackpropFilter, backendName)({
      inputs: { x, dy: dyrInfo },
      backend,
      attrs: { ..._convAttrs(attrs), filterShape: attrs?.filterShape as number[] },
    }) as tf.TensorInfo;
    return [dyrInfo, dFilter, _output(backend, [c], dBias)];
  };
  return [
    { kernelName: CONV2D_BIAS_RELU, backendName, kernelFunc: forward },
    { kernelName: CONV2D_BIAS_RELU_GRAD, backendName, kernelFunc: gradient },
  ];
}
