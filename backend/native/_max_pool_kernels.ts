/**
 * `MaxPool` and `MaxPoolGrad` (NHWC) as plain typed-array loops: the cpu backend's versions go
 * through `TensorBuffer.get` per element and dominate a conv net's step time. The gradient goes to
 * the first maximum of each window in row-major order, as on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import { _allFloat32, _f32, type _NativeKernel, _output } from "./_kernel_types.ts";

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

function poolInfo(shape: number[], attrs: tf.NamedAttrMap): Info {
  return tf.backend_util.computePool2DInfo(
    shape as Shape4,
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
}

/**
 * For every output element, calls `visit(outIndex, argmaxInputIndex, max)`; argmax is -1 for a
 * window with no input pixel (or only NaN).
 */
function scanWindows(
  x: Float32Array,
  info: Info,
  visit: (outIndex: number, argmax: number, max: number) => void,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } =
    info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    const xb = b * h * w * c;
    for (let y = 0; y < oh; y++) {
      const r0 = Math.max(0, y * sh - padTop);
      const r1 = Math.min(h, y * sh - padTop + kh);
      for (let x0 = 0; x0 < ow; x0++) {
        const c0 = Math.max(0, x0 * sw - padLeft);
        const c1 = Math.min(w, x0 * sw - padLeft + kw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const base = xb + (r * w + col) * c;
            for (let d = 0; d < c; d++) {
              const v = x[base + d]!;
              if (v > best[d]!) {
                best[d] = v;
                where[d] = base + d;
              }
            }
          }
        }
        for (let d = 0; d < c; d++, o++) visit(o, where[d]!, best[d]!);
      }
    }
  }
}

/** The native max-pooling kernels. */
export function _maxPoolKernels(): _NativeKernel[] {
  return [
    {
      kernelName: tf.MaxPool,
      kernelFunc: (args, fallback) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        if (!_allFloat32(x) || x.shape.length !== 4) return fallback(args);
        const info = poolInfo(x.shape, args.attrs ?? {});
        const xv = _f32(args.backend, x);
        const out = new Float32Array(info.outShape.reduce((a, b) => a * b, 1));
        scanWindows(xv, info, (o, _at, max) => {
          out[o] = max;
        });
        return _output(args.backend, info.outShape, out);
      },
    },
    {
      kernelName: tf.MaxPoolGrad,
      kernelFunc: (args, fallback) => {
        const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
        if (!_allFloat32(dy, input) || input.shape.length !== 4) return fallback(args);
        const info = poolInfo(input.shape, args.attrs ?? {});
        const xv = _f32(args.backend, input);
        const dyv = _f32(args.backend, dy);
        const dx = new Float32Array(xv.length);
        scanWindows(xv, info, (o, at) => {
          if (at >= 0) dx[at]! += dyv[o]!;
        });
        return _output(args.backend, [...input.shape], dx);
      },
    },
  ];
}
