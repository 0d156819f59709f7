/**
 * Batch normalization on oneDNN: the training-mode op and its gradient
 * (`DigitsBatchNormTraining`, `DigitsBatchNormTrainingGrad`, see backend/batch_norm_training.ts)
 * and inference with given statistics (`FusedBatchNorm`), on the channels-last arrays as they
 * are (see `dataMd`). Inputs the
 * fused kernels do not accept (wrong dtype or per-channel length) go to the kernel underneath,
 * which reports them.
 *
 * Why oneDNN: on one thread, like the JS loops, its JIT kernels measured 6–10× faster on
 * compact-cnn's layers (see `dataMd`).
 */
import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from "../batch_norm_training.ts";
import { _DNNL, _DNNL_SIZES } from "./_dnnl_abi.ts";
import type { _ArgSpec, _DnnlLibrary, _PrimitiveSpec } from "./_dnnl.ts";
import { _alloc, _f32, type _KernelArgs, type _NativeKernel, _output } from "./_kernel_types.ts";

const SCALE_SHIFT = _DNNL.use_scale | _DNNL.use_shift;
/**
 * Batch norm is built for one thread (see `_PrimitiveSpec.singleThreaded`): it is memory-bound, so
 * a second thread gains little (0.33 → 0.20 ms on compact-cnn's largest layer), while its
 * barriers cost 40–90 ms a step whenever the other core was busy.
 */
const SINGLE_THREADED = true;

/** Rows and channels of `x` when every named input is float32 with one value per channel. */
function layout(
  args: _KernelArgs,
  main: string[],
  perChannel: string[],
): { shape: number[]; c: number } | undefined {
  const x = args.inputs.x!;
  const c = x.shape[x.shape.length - 1] ?? 0;
  const size = tf.util.sizeFromShape(x.shape);
  if (c === 0 || size === 0 || x.shape.length < 2) return undefined;
  for (const name of main) {
    const t = args.inputs[name];
    if (t === undefined || t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== size) {
      return undefined;
    }
  }
  for (const name of perChannel) {
    const t = args.inputs[name];
    if (t === undefined || t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== c) {
      return undefined;
    }
  }
  return { shape: [...x.shape], c };
}

function epsilonOf(args: _KernelArgs): number {
  return (args.attrs?.varianceEpsilon as number | undefined) ?? 1e-3;
}

/**
 * The tensor as oneDNN data: a rank-4 x as (N, C, H, W) in nhwc order; any other rank as
 * (1, C, 1, rows), the same channels-last memory. Measured (1 thread, compact-cnn's layers at
 * batch 64): these run oneDNN's JIT kernels, 6–10× faster than the JS loops, while (rows, C) in
 * `nc` order ran a slower generic kernel, 2–3× slower than the JS loops.
 */
function dataMd(d: _DnnlLibrary, shape: readonly number[]): Uint8Array {
  const c = shape[shape.length - 1]!;
  if (shape.length === 4) return d.md([shape[0]!, c, shape[1]!, shape[2]!], _DNNL.nhwc);
  return d.md([1, c, 1, tf.util.sizeFromShape([...shape]) / c], _DNNL.nhwc);
}

function forwardSpec(
  d: _DnnlLibrary,
  shape: readonly number[],
  c: number,
  epsilon: number,
  prop: number,
  flags: number,
): _PrimitiveSpec | undefined {
  const data = dataMd(d, shape);
  const channel = d.md([c], _DNNL.x);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_batch_normalization_desc_t);
  const status = d.symbols.dnnl_batch_normalization_forward_desc_init(
    opDesc,
    prop,
    data,
    epsilon,
    flags,
  );
  if (status !== _DNNL.success) return undefined;
  const args: _ArgSpec[] = [
    { arg: _DNNL.ARG_SRC, md: data },
    { arg: _DNNL.ARG_MEAN, md: channel },
    { arg: _DNNL.ARG_VARIANCE, md: channel },
  ];
  if (flags & _DNNL.use_scale) args.push({ arg: _DNNL.ARG_SCALE, md: channel });
  if (flags & _DNNL.use_shift) args.push({ arg: _DNNL.ARG_SHIFT, md: channel });
  args.push({ arg: _DNNL.ARG_DST, md: data });
  return { opDesc, args, singleThreaded: SINGLE_THREADED };
}

/**
 * Inference batch normalization with given statistics, scale and shift over the last axis of a
 * tensor of `shape`, as the `FusedBatchNorm` kernel builds it, for an inference plan. Its
 * arguments: x, mean, variance, scale, shift, y.
 */
export function _batchNormInferenceSpec(
  d: _DnnlLibrary,
  shape: readonly number[],
  epsilon: number,
): _PrimitiveSpec | undefined {
  const c = shape[shape.length - 1]!;
  const flags = _DNNL.use_global_stats | SCALE_SHIFT;
  return forwardSpec(d, shape, c, epsilon, _DNNL.forward_inference, flags);
}

function backwardSpec(
  d: _DnnlLibrary,
  shape: readonly number[],
  c: number,
  epsilon: number,
): _PrimitiveSpec | undefined {
  const hint = forwardSpec(d, shape, c, epsilon, _DNNL.forward_training, SCALE_SHIFT);
  if (hint === undefined) return undefined;
  const data = dataMd(d, shape);
  const channel = d.md([c], _DNNL.x);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_batch_normalization_desc_t);
  const status = d.symbols.dnnl_batch_normalization_backward_desc_init(
    opDesc,
    _DNNL.backward,
    data,
    data,
    epsilon,
    SCALE_SHIFT,
  );
  if (status !== _DNNL.success) return undefined;
  return {
    opDesc,
    hint,
    singleThreaded: SINGLE_THREADED,
    args: [
      { arg: _DNNL.ARG_DIFF_DST, md: data },
      { arg: _DNNL.ARG_SRC, md: data },
      { arg: _DNNL.ARG_MEAN, md: channel },
      { arg: _DNNL.ARG_VARIANCE, md: channel },
      { arg: _DNNL.ARG_SCALE, md: channel },
      { arg: _DNNL.ARG_SHIFT, md: channel },
      { arg: _DNNL.ARG_DIFF_SRC, md: data },
      { arg: _DNNL.ARG_DIFF_SCALE, md: channel },
      { arg: _DNNL.ARG_DIFF_SHIFT, md: channel },
    ],
  };
}

/** The oneDNN batch normalization kernels. */
export function _dnnlBatchNormKernels(d: _DnnlLibrary): _NativeKernel[] {
  return [
    {
      kernelName: BATCH_NORM_TRAINING,
      kernelFunc: (args, fallback) => {
        const shape = layout(args, ["x"], ["scale", "offset"]);
        if (shape === undefined) return fallback(args);
        const { c } = shape;
        const eps = epsilonOf(args);
        const prim = d.primitive(
          `bn train ${shape.shape} ${eps}`,
          () => forwardSpec(d, shape.shape, c, eps, _DNNL.forward_training, SCALE_SHIFT),
        );
        if (prim === undefined) return fallback(args);
        const { x, scale, offset } = args.inputs as Record<string, tf.TensorInfo>;
        const xv = _f32(args.backend, x!);
        const y = _alloc(args.backend, xv.length);
        const mean = _alloc(args.backend, c);
        const variance = _alloc(args.backend, c);
        const sv = _f32(args.backend, scale!);
        const ov = _f32(args.backend, offset!);
        prim.execute([xv, mean, variance, sv, ov, y]);
        return [
          _output(args.backend, [...x!.shape], y),
          _output(args.backend, [c], mean),
          _output(args.backend, [c], variance),
        ];
      },
    },
    {
      kernelName: BATCH_NORM_TRAINING_GRAD,
      kernelFunc: (args, fallback) => {
        const shape = layout(args, ["x", "dy"], ["mean", "variance", "scale"]);
        if (shape === undefined) return fallback(args);
        const { c } = shape;
        const eps = epsilonOf(args);
        const prim = d.primitive(
          `bn grad ${shape.shape} ${eps}`,
          () => backwardSpec(d, shape.shape, c, eps),
        );
        if (prim === undefined) return fallback(args);
        const { dy, x, mean, variance, scale } = args.inputs as Record<string, tf.TensorInfo>;
        const dyv = _f32(args.backend, dy!);
        const xv = _f32(args.backend, x!);
        const mv = _f32(args.backend, mean!);
        const vv = _f32(args.backend, variance!);
        const sv = _f32(args.backend, scale!);
        const dx = _alloc(args.backend, xv.length);
        const dScale = _alloc(args.backend, c);
        const dOffset = _alloc(args.backend, c);
        prim.execute([dyv, xv, mv, vv, sv, sv, dx, dScale, dOffset]);
        return [
          _output(args.backend, [...x!.shape], dx),
          _output(args.backend, [c], dScale),
          _output(args.backend, [c], dOffset),
        ];
      },
    },
    {
      kernelName: tf.FusedBatchNorm,
      kernelFunc: (args, fallback) => {
        const { scale, offset } = args.inputs;
        const perChannel = ["mean", "variance"];
        if (scale !== undefined) perChannel.push("scale");
        if (offset !== undefined) perChannel.push("offset");
        const shape = layout(args, ["x"], perChannel);
        if (shape === undefined) return fallback(args);
        const { c } = shape;
        const eps = epsilonOf(args);
        const flags = _DNNL.use_global_stats | (scale !== undefined ? _DNNL.use_scale : 0) |
          (offset !== undefined ? _DNNL.use_shift : 0);
        const prim = d.primitive(
          `bn infer ${shape.shape} ${eps} ${flags}`,
          () => forwardSpec(d, shape.shape, c, eps, _DNNL.forward_inference, flags),
        );
        if (prim === undefined) return fallback(args);
        const x = args.inputs.x!;
        const xv = _f32(args.backend, x);
        const y = _alloc(args.backend, xv.length);
        const arrays = [xv, _f32(args.backend, args.inputs.mean!)];
        arrays.push(_f32(args.backend, args.inputs.variance!));
        if (scale !== undefined) arrays.push(_f32(args.backend, scale));
        if (offset !== undefined) arrays.push(_f32(args.backend, offset));
        arrays.push(y);
        prim.execute(arrays);
        return _output(args.backend, [...x.shape], y);
      },
    },
  ];
}
