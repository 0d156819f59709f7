import * as tf from "@tensorflow/tfjs";
import { _padOrCrop, _requireChannelsLast } from "./_conv_geometry.ts";
import { _heapTensor } from "./_heap.ts";

/** Below this many input channels the im2col + matmul route wins (first layers: Ci = 1). */
const IM2COL_MAX_CHANNELS = 4;

/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm ships none, so conv layers cannot
 * train there). The filter gradient is itself a convolution once batch and channels swap roles:
 * dW[a,b,ci,co] = Σ_{n,i,j} x[n, i·s+a−pt, j·s+b−pl, ci] · dy[n,i,j,co] is a stride-1 conv of
 * x viewed as [Ci, H, W, N] with dy viewed as the filter [Ho, Wo, N, Co], dilated by the stride.
 * That runs on XNNPACK's conv path instead of a JS loop.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * tf.registerKernel(conv2dBackpropFilterKernel);
 * ```
 */
export const conv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as
      & tf.Conv2DBackpropFilterAttrs
      & { pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding };
    _requireChannelsLast("Conv2DBackpropFilter", dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { outHeight: ho, outWidth: wo, inHeight: h, inWidth: w } = info;
    if (info.inChannels <= IM2COL_MAX_CHANNELS) return _viaIm2col(x, dy, info);
    return tf.tidy(() => {
      const xt = tf.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
      const f = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
      // Output extent along an axis is k: pad the far side so that size − span + 1 = k.
      const bottom = kh + (ho - 1) * sh - h - info.padInfo.top;
      const right = kw + (wo - 1) * sw - w - info.padInfo.left;
      const p = _padOrCrop(xt, info.padInfo.top, bottom, info.padInfo.left, right);
      const o = tf.conv2d(p.x, f, 1, p.pad, "NHWC", [sh, sw]); // [Ci, kh, kw, Co]
      return tf.transpose(o, [1, 2, 0, 3]);
    });
  },
};

/**
 * dW as [kh·kw·Ci, M]·[M, Co] with M = N·Ho·Wo: the transposed patch matrix is built in one pass
 * on the heap (cheap while Ci is small), then one XNNPACK matmul. The swapped-axes conv would have
 * a 1-image "batch" here and run at a tenth of the speed.
 */
function _viaIm2col(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const m = n * ho * wo;
  return tf.tidy(() => {
    const patchesT = _heapTensor<tf.Rank.R2>([kh * kw * ci, m], (out, heap) => {
      const xs = heap.typedArrayFromHeap(x);
      out.fill(0);
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          for (let c = 0; c < ci; c++) {
            const row = ((a * kw + b) * ci + c) * m;
            let col = 0;
            for (let img = 0; img < n; img++) {
              for (let i = 0; i < ho; i++) {
                const r = i * sh + a - top;
                if (r < 0 || r >= h) {
                  col += wo;
                  continue;
                }
                const rowBase = ((img * h + r) * w) * ci + c;
                for (let j = 0; j < wo; j++, col++) {
                  const q = j * sw + b - left;
                  if (q >= 0 && q < w) out[row + col] = xs[rowBase + q * ci]!;
                }
              }
            }
          }
        }
      }
    });
    const dw = tf.matMul(patchesT, tf.reshape(dy, [m, co]));
    return tf.reshape(dw, [kh, kw, ci, co]);
  });
}
