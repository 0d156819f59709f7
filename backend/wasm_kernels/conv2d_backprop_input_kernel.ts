import * as tf from "@tensorflow/tfjs";
import { _padOrCrop, _requireChannelsLast } from "./_conv_geometry.ts";
import { _heapTensor } from "./_heap.ts";

/**
 * A fast `Conv2DBackpropInput` for the wasm backend (its own takes ~10× a forward conv). The input
 * gradient is a stride-1 forward conv of dy (zero-dilated by the stride) with the filter rotated
 * by 180° and its channel axes swapped, padded by k−1−pad; XNNPACK runs it at forward speed.
 *
 * @example
 * ```ts ignore
 * import * as tf from "@tensorflow/tfjs";
 * tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
 * tf.registerKernel(conv2dBackpropInputKernel);
 * ```
 */
export const conv2dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as
      & tf.Conv2DBackpropInputAttrs
      & { pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding };
    _requireChannelsLast("Conv2DBackpropInput", dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { outHeight: ho, outWidth: wo, inHeight: h, inWidth: w } = info;
    const { top, left } = info.padInfo;
    if (sh > 1 || sw > 1) return tf.tidy(() => _viaSubPixel(dy, filter, info));
    return tf.tidy(() => {
      const p = _padOrCrop(dy, kh - 1 - top, h + top - ho, kw - 1 - left, w + left - wo);
      return tf.conv2d(p.x, _rotateFilter(filter), 1, p.pad);
    });
  },
};

/**
 * w [kh, kw, Ci, Co] → rotated by 180° with channels swapped, [kh, kw, Co, Ci], in one pass on the
 * heap (wasm's Reverse kernel alone takes longer than this whole function).
 */
function _rotateFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  return _heapTensor<tf.Rank.R4>([kh, kw, co, ci], (out, heap) => {
    const w = heap.typedArrayFromHeap(filter);
    let src = 0;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const base = ((kh - 1 - a) * kw + (kw - 1 - b)) * co * ci;
        for (let i = 0; i < ci; i++) {
          for (let o = 0; o < co; o++) out[base + o * ci + i] = w[src++]!;
        }
      }
    }
  });
}

/** Stride > 1: one stride-1 conv per output phase (rh, rw), interleaved into [N, H, W, Ci]. */
function _viaSubPixel(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const u = Math.ceil(h / sh);
  const v = Math.ceil(w / sw);
  const rows: tf.Tensor4D[] = [];
  for (let rh = 0; rh < sh; rh++) {
    const phases: tf.Tensor4D[] = [];
    for (let rw = 0; rw < sw; rw++) {
      const part = _phase(dy, filter, info, rh, rw);
      const [, pu, pv] = part.shape;
      phases.push(
        pu === u && pv === v ? part : tf.pad(part, [[0, 0], [0, u - pu], [0, v - pv], [
          0,
          0,
        ]]),
      );
    }
    // [N, U, V, sw, C] → [N, U, V·sw, C]: column phases interleave.
    rows.push(tf.reshape(tf.stack(phases, 3), [n, u, v * sw, ci]));
  }
  const full = tf.reshape(tf.stack(rows, 2), [n, u * sh, v * sw, ci]) as tf.Tensor4D;
  return u * sh === h && v * sw === w ? full : tf.slice(full, [0, 0, 0, 0], [n, h, w, ci]);
}

/**
 * dx at rows h ≡ rh and columns ≡ rw (mod stride): a stride-1 conv of dy with the taps
 * a ≡ (rh + padTop) (mod sh), b ≡ (rw + padLeft) (mod sw), rotated and channel-swapped.
 */
function _phase(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  rh: number,
  rw: number,
): tf.Tensor4D {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { outHeight: ho, outWidth: wo } = info;
  const { top, left } = info.padInfo;
  const outRows = Math.max(0, Math.ceil((h - rh) / sh));
  const outCols = Math.max(0, Math.ceil((w - rw) / sw));
  const firstTapH = (rh + top) % sh;
  const firstTapW = (rw + left) % sw;
  const tapsH = Math.max(0, Math.ceil((kh - firstTapH) / sh));
  const tapsW = Math.max(0, Math.ceil((kw - firstTapW) / sw));
  if (tapsH === 0 || tapsW === 0 || outRows === 0 || outCols === 0) {
    return tf.zeros([n, outRows, outCols, ci]);
  }
  const g = _heapTensor<tf.Rank.R4>([tapsH, tapsW, co, ci], (out, heap) => {
    const wv = heap.typedArrayFromHeap(filter);
    let dst = 0;
    for (let m = 0; m < tapsH; m++) {
      const a = firstTapH + sh * (tapsH - 1 - m);
      for (let q = 0; q < tapsW; q++) {
        const b = firstTapW + sw * (tapsW - 1 - q);
        const base = (a * kw + b) * ci * co;
        for (let o = 0; o < co; o++) {
          for (let i = 0; i < ci; i++) out[dst++] = wv[base + i * co + o]!;
        }
      }
    }
  });
  const padTop = tapsH - 1 - Math.floor((rh + top) / sh);
  const padLeft = tapsW - 1 - Math.floor((rw + left) / sw);
  const p = _padOrCrop(
    dy,
    padTop,
    outRows + tapsH - 1 - ho - padTop,
    padLeft,
    outCols + tapsW - 1 - wo - padLeft,
  );
  return tf.conv2d(p.x, g, 1, p.pad);
}
