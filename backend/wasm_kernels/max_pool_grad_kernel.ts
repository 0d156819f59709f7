import * as tf from "@tensorflow/tfjs";

import type { _HeapBackend } from "./_heap.ts";

/**
 * A fast `MaxPoolGrad` for the wasm backend: one pass over the input that routes each output
 * gradient to the first maximum of its window (row-major, as the `cpu` backend does), working on
 * views of the wasm heap without copies. The channel loop is innermost so every read is
 * sequential. Handles overlapping windows, strides and same/valid padding. wasm's own kernel
 * takes ~20× a forward max-pool on typical shapes.
 *
 * @example
 * ```ts ignore
 * import * as tf from "@tensorflow/tfjs";
 * tf.unregisterKernel(tf.MaxPoolGrad, "wasm");
 * tf.registerKernel(maxPoolGradKernel);
 * ```
 */
export const maxPoolGradKernel: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as
      & tf.MaxPoolGradAttrs
      & { pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding };
    const heap = backend as unknown as _HeapBackend;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const out = heap.makeOutput(input.shape, "float32");
    // Views are taken after makeOutput: allocating may grow (and detach) the wasm memory.
    const x = heap.typedArrayFromHeap(input);
    const g = heap.typedArrayFromHeap(dy);
    const dx = heap.typedArrayFromHeap(out);
    dx.fill(0);
    const tiled = info.filterHeight === info.strideHeight &&
      info.filterWidth === info.strideWidth && info.padInfo.top === 0 &&
      info.padInfo.left === 0 && info.outHeight * info.strideHeight <= info.inHeight &&
      info.outWidth * info.strideWidth <= info.inWidth;
    if (tiled && info.filterHeight === 2 && info.filterWidth === 2) _maxPool2x2(x, g, dx, info);
    else _maxPoolBackprop(x, g, dx, info);
    return out;
  },
};

/** The common 2×2/stride-2 case with every window inside the input: no bookkeeping arrays. */
function _maxPool2x2(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const rowStride = inWidth * c;
  let gi = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowBase = (b * inHeight + 2 * oh) * rowStride;
      for (let ow = 0; ow < outWidth; ow++) {
        const p00 = rowBase + 2 * ow * c;
        for (let ch = 0; ch < c; ch++, gi++) {
          const a = p00 + ch;
          let at = a;
          let best = x[a]!;
          if (x[a + c]! > best) {
            best = x[a + c]!;
            at = a + c;
          }
          if (x[a + rowStride]! > best) {
            best = x[a + rowStride]!;
            at = a + rowStride;
          }
          if (x[a + rowStride + c]! > best) at = a + rowStride + c;
          dx[at] = g[gi]!;
        }
      }
    }
  }
}

function _maxPoolBackprop(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  const rowStride = inWidth * c;
  let gi = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rStart = Math.max(0, r0);
      const rEnd = Math.min(inHeight, r0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - left;
        const cStart = Math.max(0, c0);
        const cEnd = Math.min(inWidth, c0 + filterWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = rStart; r < rEnd; r++) {
          for (let col = cStart; col < cEnd; col++) {
            const p = base + r * rowStride + col * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[p + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                where[ch] = p + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++, gi++) {
          const at = where[ch]!;
          if (at >= 0) dx[at] = dx[at]! + g[gi]!;
        }
      }
    }
  }
}
