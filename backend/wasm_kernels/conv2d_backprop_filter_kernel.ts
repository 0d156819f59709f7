import * as tf from "@tensorflow/tfjs";
import { _padOrCrop, _requireChannelsLast } from "./_conv_geometry.ts";

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
