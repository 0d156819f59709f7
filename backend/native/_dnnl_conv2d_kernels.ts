/**
 * 2-D convolution and both its gradients on oneDNN, straight on tfjs's NHWC activations and HWIO
 * filters (`Conv2D`, `FusedConv2D` with bias and ReLU/ELU as post-ops, `Conv2DBackpropInput`,
 * `Conv2DBackpropFilter`). Anything else (NCHW, dilations, other activations, PReLU, a bias that
 * is not one value per output channel, non-float32) goes to the OpenBLAS kernels underneath.
 *
 * Why oneDNN (best of 15 in one process, shared 2-core machine under load, compact-cnn's three
 * layers at batch 64, OpenBLAS path → oneDNN): forward 4.5 → 0.3, 3.8–6.9 → 1.0, 1.7–2.0 → 0.9 ms;
 * input gradient (layers 2–3; layer 1 has none in training) 3.5–5.0 → 0.9, 2.2–2.9 → 0.8 ms;
 * filter gradient 2.8–12 → 0.14, 3.5–5.1 → 1.0, 1.8–2.2 → 0.9 ms; and it fuses bias and
 * activation into the output pass. Filters go through oneDNN's own blocked layout (a reorder of a
 * few kB per call): with plain HWIO it picks its slower gemm-based kernels.
 *
 * Small filter gradients are built for one thread (`singleThreaded`, SINGLE_THREAD_MAX_FLOPS):
 * their threads sum partial gradients at spinning barriers, and on 2 threads they measured
 * 1.2–3.2 ms where one thread took 0.14–1.0, since a barrier waits whenever the other core is
 * busy. The forward pass and the input gradient split the output between threads with no
 * barrier, and keep both cores, except for small work (SMALL_WORK_FLOPS): a batch-1 serving call.
 */
import * as tf from "@tensorflow/tfjs";
import { _DNNL } from "./_dnnl_abi.ts";
import type { _DnnlLibrary, _DnnlPrimitive, _PrimitiveSpec } from "./_dnnl.ts";
import { _DNNL_SIZES } from "./_dnnl_abi.ts";
import { CONV2D_BIAS_RELU_GRAD } from "../conv2d_bias_relu.ts";
import { _dnnlReluBackward } from "./_dnnl_eltwise_kernels.ts";
import { _reluGradLoop } from "./_conv2d_bias_relu_kernels.ts";
import {
  _allFloat32,
  _alloc,
  _f32,
  type _KernelArgs,
  type _NativeKernel,
  _output,
} from "./_kernel_types.ts";

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

/** Post-op for each fused activation oneDNN runs here (tfjs's formulas: ELU with α = 1). */
const POST_OPS: Record<string, { alg: number; alpha: number; beta: number }[]> = {
  linear: [],
  relu: [{ alg: _DNNL.eltwise_relu, alpha: 0, beta: 0 }],
  elu: [{ alg: _DNNL.eltwise_elu, alpha: 1, beta: 0 }],
};

const WEIGHTS_TAG = Deno.env.get("DIGITS_DNNL_W") === "hwio" ? _DNNL.hwio : _DNNL.format_tag_any;

/**
 * Filter gradients below this many floating-point operations are built for one thread. compact-
 * cnn's (14–115 MFLOP at batch 64) ran 1.2–12× faster on one thread than on two; kaggle-cnn's
 * (0.6–1.9 GFLOP at batch 32) ran the same on one or two under load, and split their work well
 * enough to gain from a second core when it is free. The bound between is a judgement call.
 */
const SINGLE_THREAD_MAX_FLOPS = 2e8;

/**
 * Forward passes and input gradients below this many floating-point operations are built for one
 * thread: each call would wake the sleeping second thread (OMP_WAIT_POLICY=passive), which costs
 * more than the half of the work it takes over. compact-cnn's layers at batch 1–16 (0.2–29
 * MFLOP), one thread against two, median of 100 interleaved calls in one process on the shared
 * 2-core machine under load: 46–63 against 77–130 µs at batch 1, 189–350 against 217–390 µs at
 * batch 16; a whole batch-1 model call went from 0.99 to 0.61 ms. Under load one thread won at
 * every size, so the bound comes from the quiet case: there a wake-up costs an idle vCPU's
 * start (the batch-1 CNN call took about 1.15 ms in the server, 0.3–0.4 ms of it work, for about
 * 12 parallel regions: some 70 µs each), and a second thread pays off once half the work exceeds
 * that, at about twice 70 µs of one core (75–100 GFLOP/s on these layers): 10 MFLOP. Training
 * batches (compact-cnn: 14–115 MFLOP per layer at batch 64) keep both threads.
 */
const SMALL_WORK_FLOPS = 1e7;

/** Multiply-adds × 2 of the convolution (the same for each of its three passes). */
function flops(info: Info): number {
  return 2 * tf.util.sizeFromShape(info.outShape) * info.filterHeight * info.filterWidth *
    info.inChannels;
}

function convInfo(inShape: number[], filterShape: number[], attrs: tf.NamedAttrMap): Info {
  return tf.backend_util.computeConv2DInfo(
    inShape as Shape4,
    filterShape as Shape4,
    attrs.strides as number | [number, number],
    (attrs.dilations as number | [number, number] | undefined) ?? 1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as Rounding,
    false,
    "channelsLast",
  );
}

/** NHWC, dilation 1, non-negative padding, nothing empty: what these kernels run. */
function supported(args: _KernelArgs, info: Info): boolean {
  const format = args.attrs?.dataFormat;
  const p = info.padInfo;
  return (format === undefined || format === "NHWC") && info.dilationHeight === 1 &&
    info.dilationWidth === 1 && p.top >= 0 && p.left >= 0 && p.bottom >= 0 && p.right >= 0 &&
    tf.util.sizeFromShape(info.inShape) > 0 && tf.util.sizeFromShape(info.outShape) > 0;
}

/** The memory descriptors and geometry shared by the forward and backward descriptors. */
function geometry(d: _DnnlLibrary, info: Info) {
  const { batchSize: n, inChannels: ci, outChannels: co } = info;
  return {
    src: d.md([n, ci, info.inHeight, info.inWidth], _DNNL.nhwc),
    weights: d.md([co, ci, info.filterHeight, info.filterWidth], _DNNL.hwio),
    dst: d.md([n, co, info.outHeight, info.outWidth], _DNNL.nhwc),
    /** Weights in the layout oneDNN picks (its blocked layouts run the JIT kernels). */
    anyWeights: d.md([co, ci, info.filterHeight, info.filterWidth], WEIGHTS_TAG),
    bias: d.md([co], _DNNL.x),
    strides: d.dims([info.strideHeight, info.strideWidth]),
    padL: d.dims([info.padInfo.top, info.padInfo.left]),
    padR: d.dims([info.padInfo.bottom, info.padInfo.right]),
  };
}

function key(kind: string, info: Info, extra = ""): string {
  const p = info.padInfo;
  return `conv ${kind} ${info.inShape} ${info.filterHeight}x${info.filterWidth} ` +
    `${info.outChannels} s${info.strideHeight},${info.strideWidth} ` +
    `p${p.top},${p.left},${p.bottom},${p.right} ${extra}`;
}

function forwardSpec(
  d: _DnnlLibrary,
  info: Info,
  withBias: boolean,
  prop: number,
  activation = "linear",
): _PrimitiveSpec {
  const g = geometry(d, info);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_convolution_desc_t);
  _checkInit(d.symbols.dnnl_convolution_forward_desc_init(
    opDesc,
    prop,
    _DNNL.convolution_direct,
    g.src,
    g.anyWeights,
    withBias ? g.bias : null,
    g.dst,
    g.strides,
    g.padL,
    g.padR,
  ));
  const args = [
    { arg: _DNNL.ARG_SRC, md: g.src },
    { arg: _DNNL.ARG_WEIGHTS, md: g.weights, reorder: "in" as const },
    ...(withBias ? [{ arg: _DNNL.ARG_BIAS, md: g.bias }] : []),
    { arg: _DNNL.ARG_DST, md: g.dst },
  ];
  return {
    opDesc,
    postOps: POST_OPS[activation]!,
    singleThreaded: flops(info) < SMALL_WORK_FLOPS,
    args,
  };
}

function backwardDataSpec(d: _DnnlLibrary, info: Info): _PrimitiveSpec {
  const g = geometry(d, info);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_convolution_desc_t);
  _checkInit(d.symbols.dnnl_convolution_backward_data_desc_init(
    opDesc,
    _DNNL.convolution_direct,
    g.src,
    g.anyWeights,
    g.dst,
    g.strides,
    g.padL,
    g.padR,
  ));
  return {
    opDesc,
    hint: forwardSpec(d, info, false, _DNNL.forward_training),
    singleThreaded: flops(info) < SMALL_WORK_FLOPS,
    args: [
      { arg: _DNNL.ARG_DIFF_DST, md: g.dst },
      { arg: _DNNL.ARG_WEIGHTS, md: g.weights, reorder: "in" },
      { arg: _DNNL.ARG_DIFF_SRC, md: g.src },
    ],
  };
}

function backwardWeightsSpec(d: _DnnlLibrary, info: Info, withBias = false): _PrimitiveSpec {
  const g = geometry(d, info);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_convolution_desc_t);
  _checkInit(d.symbols.dnnl_convolution_backward_weights_desc_init(
    opDesc,
    _DNNL.convolution_direct,
    g.src,
    g.anyWeights,
    withBias ? g.bias : null,
    g.dst,
    g.strides,
    g.padL,
    g.padR,
  ));
  return {
    opDesc,
    hint: forwardSpec(d, info, withBias, _DNNL.forward_training),
    // Its threads meet at barriers to sum their partial gradients: see the file comment.
    singleThreaded: flops(info) < SINGLE_THREAD_MAX_FLOPS,
    args: [
      { arg: _DNNL.ARG_SRC, md: g.src },
      { arg: _DNNL.ARG_DIFF_DST, md: g.dst },
      { arg: _DNNL.ARG_DIFF_WEIGHTS, md: g.weights, reorder: "out" },
      ...(withBias ? [{ arg: _DNNL.ARG_DIFF_BIAS, md: g.bias }] : []),
    ],
  };
}

/**
 * The inference forward pass of a convolution (NHWC input, HWIO filter, bias and `activation`
 * fused) as a spec for an inference plan, built as the `Conv2D`/`FusedConv2D` kernels build
 * theirs; undefined when oneDNN rejects the geometry.
 */
export function _convInferenceSpec(
  d: _DnnlLibrary,
  info: Info,
  withBias: boolean,
  activation: "linear" | "relu" | "elu",
): _PrimitiveSpec | undefined {
  try {
    return forwardSpec(d, info, withBias, _DNNL.forward_inference, activation);
  } catch (error) {
    if (error instanceof _Unsupported) return undefined;
    throw error;
  }
}

/** A `*_desc_init` failure means the geometry is one oneDNN rejects: the caller falls back. */
class _Unsupported extends Error {}

function _checkInit(status: number): void {
  if (status !== _DNNL.success) throw new _Unsupported(`oneDNN desc init status ${status}`);
}

/** The cached primitive, or undefined when oneDNN rejects or cannot run this geometry. */
function cached(
  d: _DnnlLibrary,
  k: string,
  spec: () => _PrimitiveSpec,
): _DnnlPrimitive | undefined {
  return d.primitive(k, () => {
    try {
      return spec();
    } catch (error) {
      if (error instanceof _Unsupported) return undefined;
      throw error;
    }
  });
}

/** True while tfjs records operations for gradients (then a forward pass is a training one). */
function recordingGradients(): boolean {
  return ((tf.engine().state as unknown as { gradientDepth?: number }).gradientDepth ?? 1) > 0;
}

/**
 * backend/conv2d_bias_relu.ts's gradient: dy masked by y > 0 (oneDNN's ReLU backward, the JS loop
 * below its size bound), then one filter-gradient primitive that also writes the bias gradient
 * (oneDNN sums it in the pass that reads dy anyway: no separate Sum over N, H, W).
 */
function conv2dBiasReluGrad(d: _DnnlLibrary): _NativeKernel {
  return {
    kernelName: CONV2D_BIAS_RELU_GRAD,
    kernelFunc: (args, fallback) => {
      const { dy, x, y } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; y: tf.TensorInfo };
      const filterShape = args.attrs!.filterShape as number[];
      if (!_allFloat32(dy, x, y) || x.shape.length !== 4) return fallback(args);
      const info = convInfo(x.shape, filterShape, args.attrs!);
      if (!supported(args, info)) return fallback(args);
      const prim = cached(
        d,
        key("bwd_weights", info, "bias"),
        () => backwardWeightsSpec(d, info, true),
      );
      if (prim === undefined) return fallback(args);
      const yv = _f32(args.backend, y);
      const dyv = _f32(args.backend, dy);
      const dyr = _alloc(args.backend, yv.length);
      if (!_dnnlReluBackward(d, yv, dyv, dyr)) _reluGradLoop(dyv, yv, dyr);
      const dw = _alloc(args.backend, tf.util.sizeFromShape(filterShape));
      const db = _alloc(args.backend, info.outChannels);
      prim.execute([_f32(args.backend, x), dyr, dw, db]);
      return [
        _output(args.backend, [...y.shape], dyr),
        _output(args.backend, [...filterShape], dw),
        _output(args.backend, [info.outChannels], db),
      ];
    },
  };
}

/** The oneDNN convolution kernels. */
export function _dnnlConv2dKernels(d: _DnnlLibrary): _NativeKernel[] {
  const forward = (
    args: _KernelArgs,
    fallback: (a: _KernelArgs) => tf.TensorInfo | tf.TensorInfo[],
    activation: string,
    bias: tf.TensorInfo | undefined,
  ) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    if (!_allFloat32(x, filter, bias) || x.shape.length !== 4) return fallback(args);
    const info = convInfo(x.shape, filter.shape, args.attrs ?? {});
    if (!supported(args, info)) return fallback(args);
    const withBias = bias !== undefined;
    if (withBias && (bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) {
      return fallback(args);
    }
    const prop = recordingGradients() ? _DNNL.forward_training : _DNNL.forward_inference;
    const prim = cached(
      d,
      key("fwd", info, `${prop} ${withBias} ${activation}`),
      () => forwardSpec(d, info, withBias, prop, activation),
    );
    if (prim === undefined) return fallback(args);
    const xv = _f32(args.backend, x);
    const wv = _f32(args.backend, filter);
    const out = _alloc(args.backend, tf.util.sizeFromShape(info.outShape));
    prim.execute(withBias ? [xv, wv, _f32(args.backend, bias), out] : [xv, wv, out]);
    return _output(args.backend, info.outShape, out);
  };
  return [
    {
      kernelName: tf.Conv2D,
      kernelFunc: (args, fallback) => forward(args, fallback, "linear", undefined),
    },
    {
      kernelName: tf.FusedConv2D,
      kernelFunc: (args, fallback) => {
        const { bias, preluActivationWeights } = args.inputs;
        const activation = (args.attrs?.activation as string | undefined) ?? "linear";
        if (preluActivationWeights !== undefined || POST_OPS[activation] === undefined) {
          return fallback(args);
        }
        return forward(args, fallback, activation, bias);
      },
    },
    {
      kernelName: tf.Conv2DBackpropInput,
      kernelFunc: (args, fallback) => {
        const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
        const inputShape = args.attrs!.inputShape as number[];
        if (!_allFloat32(dy, filter) || inputShape.length !== 4) return fallback(args);
        const info = convInfo(inputShape, filter.shape, args.attrs!);
        if (!supported(args, info)) return fallback(args);
        const prim = cached(d, key("bwd_data", info), () => backwardDataSpec(d, info));
        if (prim === undefined) return fallback(args);
        const dyv = _f32(args.backend, dy);
        const wv = _f32(args.backend, filter);
        const dx = _alloc(args.backend, tf.util.sizeFromShape(inputShape));
        prim.execute([dyv, wv, dx]);
        return _output(args.backend, [...inputShape], dx);
      },
    },
    {
      kernelName: tf.Conv2DBackpropFilter,
      kernelFunc: (args, fallback) => {
        const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const filterShape = args.attrs!.filterShape as number[];
        if (!_allFloat32(x, dy) || x.shape.length !== 4) return fallback(args);
        const info = convInfo(x.shape, filterShape, args.attrs!);
        if (!supported(args, info)) return fallback(args);
        const prim = cached(d, key("bwd_weights", info), () => backwardWeightsSpec(d, info));
        if (prim === undefined) return fallback(args);
        const xv = _f32(args.backend, x);
        const dyv = _f32(args.backend, dy);
        const dw = _alloc(args.backend, tf.util.sizeFromShape(filterShape));
        prim.execute([xv, dyv, dw]);
        return _output(args.backend, [...filterShape], dw);
      },
    },
    conv2dBiasReluGrad(d),
  ];
}
