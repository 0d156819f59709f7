/**
 * 2-D convolution (NHWC) and its two gradients on OpenBLAS sgemm, by im2col:
 *
 * - `Conv2D` / `FusedConv2D`: out[rows, Cout] = col(x)[rows, KH·KW·Cin] · W[KH·KW·Cin, Cout]
 * - `Conv2DBackpropFilter`: dW = col(x)ᵀ · dy
 * - `Conv2DBackpropInput`: dx = col2im(dy · Wᵀ)
 *
 * The filter layout [KH, KW, Cin, Cout] is already the [K, Cout] matrix, and im2col orders a row as
 * (kh, kw, cin), so for each kernel row the KW·Cin values are one contiguous run of the input.
 * Images are processed in chunks so the column buffer stays a few megabytes and is reused.
 * NCHW, PReLU and non-float32 inputs fall back to the cpu kernels.
 */
import * as tf from "@tensorflow/tfjs";
import type { _OpenBlas } from "./_openblas.ts";
import { _applyBiasActivation, _supportsActivation } from "./_bias_activation.ts";
import {
  _allFloat32,
  _alloc,
  _allocZeroed,
  type _CpuBackend,
  _f32,
  type _KernelArgs,
  type _NativeKernel,
  _output,
  _scratch,
} from "./_kernel_types.ts";

/**
 * Column-buffer budget per chunk, in floats (2 MB, about one core's L2): sgemm then reads the
 * columns im2col just wrote from cache. Measured on kaggle-cnn's 3×3 layers at batch 128: 20–30 %
 * faster forward convolutions than 16 MB chunks; 1 MB chunks were slower again.
 */
const CHUNK_FLOATS = 1 << 19;
/** Narrowest input (channels) for which dx is computed as a transposed convolution. */
const MIN_TRANSPOSED_CIN = 64;
/** Runs shorter than this are copied by a loop; longer ones with TypedArray.set (memcpy). */
const MEMCPY_MIN = 48;

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/**
 * Fills `col` with the im2col rows of images [b0, b0+nb) of `x`: row (image, y, x) holds the
 * receptive field in (kh, kw, cin) order, zeros where it hangs over the padding.
 */
function im2col(x: Float32Array, info: Info, b0: number, nb: number, col: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const rowLen = kw * c;
  let dst = 0;
  for (let b = b0; b < b0 + nb; b++) {
    const xb = b * h * w * c;
    for (let y = 0; y < oh; y++) {
      const ih0 = y * sh - padTop;
      for (let xo = 0; xo < ow; xo++) {
        const iw0 = xo * sw - padLeft;
        for (let fh = 0; fh < kh; fh++, dst += rowLen) {
          const ih = ih0 + fh * dh;
          if (ih < 0 || ih >= h) {
            col.fill(0, dst, dst + rowLen);
            continue;
          }
          const rowBase = xb + ih * w * c;
          if (dw === 1) {
            // The in-bounds part of the kernel row is one contiguous run of x.
            const lo = Math.min(kw, iw0 < 0 ? -iw0 : 0);
            const hi = Math.max(lo, Math.min(kw, w - iw0));
            if (lo > 0) col.fill(0, dst, dst + lo * c);
            const len = (hi - lo) * c;
            const s = rowBase + (iw0 + lo) * c;
            const d = dst + lo * c;
            if (len >= MEMCPY_MIN) col.set(x.subarray(s, s + len), d);
            else for (let i = 0; i < len; i++) col[d + i] = x[s + i]!;
            if (hi < kw) col.fill(0, dst + hi * c, dst + rowLen);
          } else {
            for (let fw = 0; fw < kw; fw++) {
              const iw = iw0 + fw * dw;
              const d = dst + fw * c;
              if (iw < 0 || iw >= w) col.fill(0, d, d + c);
              else for (let i = 0; i < c; i++) col[d + i] = x[rowBase + iw * c + i]!;
            }
          }
        }
      }
    }
  }
}

/** Adds the im2col-shaped gradient `col` of images [b0, b0+nb) back into `dx` (dilation 1). */
function col2imAdd(col: Float32Array, info: Info, b0: number, nb: number, dx: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const rowLen = kw * c;
  let src = 0;
  for (let b = b0; b < b0 + nb; b++) {
    const xb = b * h * w * c;
    for (let y = 0; y < oh; y++) {
      const ih0 = y * sh - padTop;
      for (let xo = 0; xo < ow; xo++) {
        const iw0 = xo * sw - padLeft;
        for (let fh = 0; fh < kh; fh++, src += rowLen) {
          const ih = ih0 + fh;
          if (ih < 0 || ih >= h) continue;
          const lo = Math.min(kw, iw0 < 0 ? -iw0 : 0);
          const hi = Math.max(lo, Math.min(kw, w - iw0));
          const len = (hi - lo) * c;
          const d = xb + ih * w * c + (iw0 + lo) * c;
          const s = src + lo * c;
          for (let i = 0; i < len; i++) dx[d + i]! += col[s + i]!;
        }
      }
    }
  }
}

/** True when the convolution is a plain per-pixel matrix product (1×1, stride 1, no padding). */
function isPointwise(info: Info): boolean {
  const p = info.padInfo;
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 &&
    info.strideWidth === 1 && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
}

/** Images per chunk so that one chunk's column matrix fits CHUNK_FLOATS. */
function imagesPerChunk(info: Info): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth *
    info.inChannels;
  return Math.max(1, Math.floor(CHUNK_FLOATS / Math.max(1, perImage)));
}

function forward(
  blas: _OpenBlas,
  backend: _CpuBackend,
  x: Float32Array,
  w: Float32Array,
  info: Info,
  epilogue?: (rows: Float32Array) => void,
): Float32Array {
  const cout = info.outChannels;
  const pixels = info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const out = _alloc(backend, info.batchSize * pixels * cout);
  if (isPointwise(info)) {
    blas.sgemm(false, false, info.batchSize * pixels, cout, k, 1, x, k, w, cout, 0, out, cout);
    epilogue?.(out);
    return out;
  }
  const chunk = imagesPerChunk(info);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const nb = Math.min(chunk, info.batchSize - b0);
    const rows = nb * pixels;
    const col = _scratch(rows * k);
    im2col(x, info, b0, nb, col);
    const outSub = out.subarray(b0 * pixels * cout, (b0 + nb) * pixels * cout);
    blas.sgemm(false, false, rows, cout, k, 1, col, k, w, cout, 0, outSub, cout);
    epilogue?.(outSub); // bias and activation while the chunk is still in cache
  }
  return out;
}

/**
 * dW = col(x)ᵀ·dy, computed as dWᵀ[Cout, K] = dyᵀ·col(x) and transposed at the end: OpenBLAS runs
 * the wide-and-short result about 1.4× faster when Cout < K (e.g. 64 × 288), and the transpose
 * of a filter-sized matrix is negligible.
 */
function backpropFilter(
  blas: _OpenBlas,
  backend: _CpuBackend,
  x: Float32Array,
  dy: Float32Array,
  info: Info,
): Float32Array {
  const cout = info.outChannels;
  const pixels = info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const dwT = new Float32Array(cout * k);
  if (isPointwise(info)) {
    blas.sgemm(true, false, cout, k, info.batchSize * pixels, 1, dy, cout, x, k, 0, dwT, k);
  } else {
    const chunk = imagesPerChunk(info);
    for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
      const nb = Math.min(chunk, info.batchSize - b0);
      const rows = nb * pixels;
      const col = _scratch(rows * k);
      im2col(x, info, b0, nb, col);
      const dySub = dy.subarray(b0 * pixels * cout, (b0 + nb) * pixels * cout);
      blas.sgemm(true, false, cout, k, rows, 1, dySub, cout, col, k, b0 === 0 ? 0 : 1, dwT, k);
    }
  }
  const dw = _alloc(backend, k * cout);
  for (let o = 0; o < cout; o++) {
    const row = o * k;
    for (let i = 0; i < k; i++) dw[i * cout + o] = dwT[row + i]!;
  }
  return dw;
}

/**
 * For stride 1, dx is itself a convolution: of dy (padded by K-1-pad) with the filter rotated by
 * 180° and its in/out channels swapped. That runs as im2col (memcpy runs) + sgemm, instead of
 * sgemm + col2im (a scalar add loop over the whole column matrix). Its sgemm has N = Cin, which
 * OpenBLAS runs poorly below 64 columns, so narrower inputs keep col2im (measured on small-cnn:
 * 32 input channels, col2im 20 % faster; kaggle-cnn: 64–256, this path 5–10 % faster).
 */
function backpropInputAsConv(
  blas: _OpenBlas,
  backend: _CpuBackend,
  dy: Float32Array,
  w: Float32Array,
  info: Info,
): Float32Array | undefined {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  const p = info.padInfo;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || cin < MIN_TRANSPOSED_CIN) {
    return undefined;
  }
  if (p.top > kh - 1 || p.left > kw - 1 || p.top < 0 || p.left < 0) return undefined;
  const rotated = new Float32Array(kh * kw * cin * cout);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      const src = ((kh - 1 - y) * kw + (kw - 1 - x)) * cin * cout;
      const dst = (y * kw + x) * cout * cin;
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) rotated[dst + o * cin + i] = w[src + i * cout + o]!;
      }
    }
  }
  const transposed: Info = {
    ...info,
    inHeight: info.outHeight,
    inWidth: info.outWidth,
    inChannels: cout,
    outHeight: info.inHeight,
    outWidth: info.inWidth,
    outChannels: cin,
    padInfo: {
      ...p,
      top: kh - 1 - p.top,
      left: kw - 1 - p.left,
      bottom: kh - 1 - p.bottom,
      right: kw - 1 - p.right,
    },
  };
  return forward(blas, backend, dy, rotated, transposed);
}

function backpropInput(
  blas: _OpenBlas,
  backend: _CpuBackend,
  dy: Float32Array,
  w: Float32Array,
  info: Info,
): Float32Array {
  const cout = info.outChannels;
  const pixels = info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const dxSize = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  if (isPointwise(info)) {
    const dx = _alloc(backend, dxSize);
    blas.sgemm(false, true, info.batchSize * pixels, k, cout, 1, dy, cout, w, cout, 0, dx, k);
    return dx;
  }
  const asConv = backpropInputAsConv(blas, backend, dy, w, info);
  if (asConv !== undefined) return asConv;
  const dx = _allocZeroed(backend, dxSize);
  const chunk = imagesPerChunk(info);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const nb = Math.min(chunk, info.batchSize - b0);
    const rows = nb * pixels;
    const col = _scratch(rows * k);
    const dySub = dy.subarray(b0 * pixels * cout, (b0 + nb) * pixels * cout);
    blas.sgemm(false, true, rows, k, cout, 1, dySub, cout, w, cout, 0, col, k);
    col2imAdd(col, info, b0, nb, dx);
  }
  return dx;
}

type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

function convInfo(
  inShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
  withDilations: boolean,
): Info {
  return tf.backend_util.computeConv2DInfo(
    inShape as Shape4,
    filterShape as Shape4,
    attrs.strides as number | [number, number],
    withDilations ? (attrs.dilations as number | [number, number] | undefined) ?? 1 : 1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as Rounding,
    false,
    "channelsLast",
  );
}

function isNhwc(args: _KernelArgs): boolean {
  const format = args.attrs?.dataFormat;
  return format === undefined || format === "NHWC";
}

/** The native convolution kernels. */
export function _conv2dKernels(blas: _OpenBlas): _NativeKernel[] {
  const conv = (args: _KernelArgs, epilogue?: (rows: Float32Array) => void) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const info = convInfo(x.shape, filter.shape, args.attrs ?? {}, true);
    const xv = _f32(args.backend, x);
    const out = forward(blas, args.backend, xv, _f32(args.backend, filter), info, epilogue);
    return { info, out };
  };
  return [
    {
      kernelName: tf.Conv2D,
      kernelFunc: (args, fallback) => {
        const { x, filter } = args.inputs;
        if (!isNhwc(args) || !_allFloat32(x, filter)) return fallback(args);
        const { info, out } = conv(args);
        return _output(args.backend, info.outShape, out);
      },
    },
    {
      kernelName: tf.FusedConv2D,
      kernelFunc: (args, fallback) => {
        const { x, filter, bias, preluActivationWeights } = args.inputs;
        const activation = args.attrs?.activation as string | undefined;
        if (
          !isNhwc(args) || !_allFloat32(x, filter, bias) || preluActivationWeights !== undefined ||
          !_supportsActivation(activation)
        ) {
          return fallback(args);
        }
        const cout = filter!.shape[3]!;
        const biasValues = bias === undefined ? undefined : _f32(args.backend, bias);
        if (biasValues !== undefined && biasValues.length !== cout && biasValues.length !== 1) {
          return fallback(args);
        }
        const alpha = (args.attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
        const { info, out } = conv(
          args,
          (rows) => _applyBiasActivation(rows, cout, biasValues, activation, alpha),
        );
        return _output(args.backend, info.outShape, out);
      },
    },
    {
      kernelName: tf.Conv2DBackpropInput,
      kernelFunc: (args, fallback) => {
        const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
        if (!isNhwc(args) || !_allFloat32(dy, filter)) return fallback(args);
        const inputShape = args.attrs!.inputShape as number[];
        const info = convInfo(inputShape, filter.shape, args.attrs!, false);
        const dx = backpropInput(
          blas,
          args.backend,
          _f32(args.backend, dy),
          _f32(args.backend, filter),
          info,
        );
        return _output(args.backend, [...inputShape], dx);
      },
    },
    {
      kernelName: tf.Conv2DBackpropFilter,
      kernelFunc: (args, fallback) => {
        const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        if (!isNhwc(args) || !_allFloat32(x, dy)) return fallback(args);
        const filterShape = args.attrs!.filterShape as number[];
        const info = convInfo(x.shape, filterShape, args.attrs!, false);
        const dw = backpropFilter(
          blas,
          args.backend,
          _f32(args.backend, x),
          _f32(args.backend, dy),
          info,
        );
        return _output(args.backend, [...filterShape], dw);
      },
    },
  ];
}
