/**
 * `MaxPool` and `MaxPoolGrad` (NHWC) as typed-array loops. The forward pass records, per output
 * element, the input index of its window's maximum (the first one in row-major window order, as
 * on the cpu backend); the gradient reuses that record when it is handed the same output tensor,
 * and just scatters dy. The argmax update is branch-free (`+(v > m)`): pooled ReLU outputs make
 * a compare-and-branch mispredict constantly (3× slower).
 */
import * as tf from "@tensorflow/tfjs";
import { _poolInfo } from "./_pool_info.ts";
import {
  _allFloat32,
  _alloc,
  _allocZeroed,
  _f32,
  type _NativeKernel,
  _output,
} from "./_kernel_types.ts";

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** Argmax records of recent MaxPool outputs, keyed by the output's dataId (dropped with it). */
const argmaxByOutput = new WeakMap<object, { input: object; argmax: Int32Array }>();

/**
 * For every output element, the index in `x` of its window's first maximum, or -1 for a window
 * that lies entirely in the padding. (A NaN first element stays the maximum: NaN in, NaN out.)
 */
function argmaxPool(x: Float32Array, info: Info, into?: Int32Array): Int32Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } =
    info;
  const arg = into ?? new Int32Array(n * oh * ow * c);
  if (isPlain2x2(info)) {
    argmaxPool2x2(x, info, arg);
    return arg;
  }
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  let o = 0;
  for (let b = 0; b < n; b++) {
    const xb = b * h * w * c;
    for (let y = 0; y < oh; y++) {
      const r0 = Math.max(0, y * sh - padTop);
      const r1 = Math.min(h, y * sh - padTop + kh);
      for (let xo = 0; xo < ow; xo++, o += c) {
        const c0 = Math.max(0, xo * sw - padLeft);
        const c1 = Math.min(w, xo * sw - padLeft + kw);
        if (r0 >= r1 || c0 >= c1) {
          arg.fill(-1, o, o + c);
          continue;
        }
        const first = xb + (r0 * w + c0) * c;
        for (let d = 0; d < c; d++) arg[o + d] = first + d;
        for (let r = r0; r < r1; r++) {
          for (let col = r === r0 ? c0 + 1 : c0; col < c1; col++) {
            const p = xb + (r * w + col) * c;
            for (let d = 0; d < c; d++) {
              const a = arg[o + d]!;
              const q = p + d;
              arg[o + d] = a + +(x[q]! > x[a]!) * (q - a);
            }
          }
        }
      }
    }
  }
  return arg;
}

/** argmaxPool for the common 2×2 window, stride 2, no padding: four loads per output, unrolled. */
function argmaxPool2x2(x: Float32Array, info: Info, arg: Int32Array): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } =
    info;
  const rowStride = w * c;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      let p = (b * h + 2 * y) * rowStride;
      for (let xo = 0; xo < ow; xo++, p += 2 * c) {
        for (let d = 0; d < c; d++, o++) {
          let a = p + d;
          let m = x[a]!;
          let q = a + c;
          a += +(x[q]! > m) * (q - a);
          m = x[a]!;
          q = p + rowStride + d;
          a += +(x[q]! > m) * (q - a);
          m = x[a]!;
          q += c;
          a += +(x[q]! > m) * (q - a);
          arg[o] = a;
        }
      }
    }
  }
}

function isPlain2x2(info: Info): boolean {
  const p = info.padInfo;
  return info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 &&
    info.strideWidth === 2 && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
}

/** Reused argmax buffer for forward passes outside a gradient tape (inference). */
let inferenceArgmax = new Int32Array(0);

/** True while tfjs records operations for gradients (only then does MaxPoolGrad follow). */
function recordingGradients(): boolean {
  return ((tf.engine().state as unknown as { gradientDepth?: number }).gradientDepth ?? 1) > 0;
}

/** The native max-pooling kernels. */
export function _maxPoolKernels(): _NativeKernel[] {
  return [
    {
      kernelName: tf.MaxPool,
      kernelFunc: (args, fallback) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        if (!_allFloat32(x) || x.shape.length !== 4) return fallback(args);
        const info = _poolInfo(x.shape, args.attrs ?? {});
        const xv = _f32(args.backend, x);
        const size = tf.util.sizeFromShape(info.outShape);
        const recording = recordingGradients();
        if (!recording && inferenceArgmax.length < size) inferenceArgmax = new Int32Array(size);
        const argmax = argmaxPool(
          xv,
          info,
          recording ? new Int32Array(size) : inferenceArgmax.subarray(0, size),
        );
        const out = _alloc(args.backend, argmax.length);
        for (let i = 0; i < argmax.length; i++) {
          const a = argmax[i]!;
          out[i] = a < 0 ? -Infinity : xv[a]!;
        }
        const result = _output(args.backend, info.outShape, out);
        if (recording) argmaxByOutput.set(result.dataId, { input: x.dataId, argmax });
        return result;
      },
    },
    {
      kernelName: tf.MaxPoolGrad,
      kernelFunc: (args, fallback) => {
        const { dy, input, output } = args.inputs as Record<string, tf.TensorInfo>;
        if (!_allFloat32(dy, input) || input!.shape.length !== 4) return fallback(args);
        const dyv = _f32(args.backend, dy!);
        const cached = argmaxByOutput.get(output!.dataId);
        const argmax = cached !== undefined && cached.input === input!.dataId &&
            cached.argmax.length === dyv.length
          ? cached.argmax
          : argmaxPool(_f32(args.backend, input!), _poolInfo(input!.shape, args.attrs ?? {}));
        const dx = _allocZeroed(args.backend, tf.util.sizeFromShape(input!.shape));
        for (let i = 0; i < argmax.length; i++) {
          const a = argmax[i]!;
          if (a >= 0) dx[a]! += dyv[i]!;
        }
        return _output(args.backend, [...input!.shape], dx);
      },
    },
  ];
}
