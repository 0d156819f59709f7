/**
 * `BatchMatMul` and `_FusedMatMul` on OpenBLAS sgemm: one sgemm per batch entry, straight on the
 * tensors' Float32Arrays. Broadcasting batches where neither side has size 1, non-float32 inputs
 * and PReLU fall back to the cpu kernels.
 *
 * These stay on OpenBLAS where oneDNN is loaded too: oneDNN's matmul measured no faster on the
 * zoo's dense layers at batch 64 (best of 30, one process, shared 2-core machine): 64×576·576×128
 * 0.06–0.11 ms on both, the 10-class layer and its gradients 3 µs on OpenBLAS against 10–14 µs,
 * a 3136→256 layer within ±30 % either way between runs.
 */
import * as tf from "@tensorflow/tfjs";
import type { _OpenBlas } from "./_openblas.ts";
import { _applyBiasActivation, _supportsActivation } from "./_bias_activation.ts";
import {
  _allFloat32,
  _alloc,
  _allocZeroed,
  _f32,
  type _KernelArgs,
  type _NativeKernel,
  _output,
} from "./_kernel_types.ts";

function product(dims: number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** Computes op(a)·op(b) batch by batch; undefined when the shapes need the cpu fallback. */
function batchMatMul(
  blas: _OpenBlas,
  args: _KernelArgs,
): { shape: number[]; values: Float32Array; n: number } | undefined {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const transposeA = Boolean(args.attrs?.transposeA);
  const transposeB = Boolean(args.attrs?.transposeB);
  if (!_allFloat32(a, b) || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return undefined; // let the cpu kernel report the shape error
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const batch = product(outBatchShape);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  const av = _f32(args.backend, a);
  const bv = _f32(args.backend, b);
  const out = k === 0
    ? _allocZeroed(args.backend, batch * m * n)
    : _alloc(args.backend, batch * m * n);
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  for (let i = 0; i < batch; i++) {
    const aSub = batchA === 1 ? av : av.subarray(i * m * k, (i + 1) * m * k);
    const bSub = batchB === 1 ? bv : bv.subarray(i * k * n, (i + 1) * k * n);
    const cSub = batch === 1 ? out : out.subarray(i * m * n, (i + 1) * m * n);
    if (k === 0) continue;
    blas.sgemm(transposeA, transposeB, m, n, k, 1, aSub, lda, bSub, ldb, 0, cSub, n);
  }
  return { shape: [...outBatchShape, m, n], values: out, n };
}

/** The native matrix-multiplication kernels. */
export function _matMulKernels(blas: _OpenBlas): _NativeKernel[] {
  return [
    {
      kernelName: tf.BatchMatMul,
      kernelFunc: (args, fallback) => {
        const r = batchMatMul(blas, args);
        return r === undefined ? fallback(args) : _output(args.backend, r.shape, r.values);
      },
    },
    {
      kernelName: tf._FusedMatMul,
      kernelFunc: (args, fallback) => {
        const { bias, preluActivationWeights } = args.inputs;
        const activation = args.attrs?.activation as string | undefined;
        if (
          preluActivationWeights !== undefined || !_supportsActivation(activation) ||
          !_allFloat32(bias)
        ) {
          return fallback(args);
        }
        const r = batchMatMul(blas, args);
        if (r === undefined) return fallback(args);
        let biasValues: Float32Array | undefined;
        if (bias !== undefined) {
          biasValues = _f32(args.backend, bias);
          const lastDim = bias.shape[bias.shape.length - 1] ?? 1;
          const perColumn = biasValues.length === r.n && lastDim === r.n;
          if (!perColumn && biasValues.length !== 1) return fallback(args);
        }
        const alpha = (args.attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
        _applyBiasActivation(r.values, r.n, biasValues, activation, alpha);
        return _output(args.backend, r.shape, r.values);
      },
    },
  ];
}
