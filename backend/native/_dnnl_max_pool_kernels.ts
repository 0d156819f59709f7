/**
 * `MaxPool` and `MaxPoolGrad` (NHWC) on oneDNN's pooling. A forward pass under a gradient tape
 * runs oneDNN's training variant, which records each window's argmax in a workspace; the workspace
 * is kept by the output tensor's dataId (dropped with it), and the gradient scatters dy through it.
 * A gradient without a recorded workspace (another output, or an inference pass) reruns the
 * forward pass to get one. Ties go to the first maximum in window order, as on the cpu backend.
 * Other ranks, dilations, non-float32 inputs and explicit rounding fall back to the JS kernels.
 *
 * Why oneDNN: the JS loops are scalar code; oneDNN's are vectorized over channels. Measured (best
 * of 15, shared 2-core machine, 2×2 pools of 16 channels at batch 64): forward 5.5–12 → 0.4–1.7
 * ms on a 56×56 input, 1.0–1.6 → 0.07–0.12 ms on 28×28 (compact-cnn's first pool).
 *
 * Pools of fewer than SMALL_POOL_FLOATS inputs run on one thread (see `_PrimitiveSpec.
 * singleThreaded`): a pool is a few µs of memory traffic per image, less than waking the second
 * thread. Measured (median of 100 interleaved calls, shared 2-core machine under load, compact-
 * cnn's three pools at batch 1–16): 19–58 µs on one thread against 39–126 µs on two.
 */
import * as tf from "@tensorflow/tfjs";
import { _poolInfo } from "./_pool_info.ts";
import { _DNNL, _DNNL_SIZES } from "./_dnnl_abi.ts";
import type { _ArgSpec, _DnnlLibrary, _DnnlPrimitive, _PrimitiveSpec } from "./_dnnl.ts";
import { _allFloat32, _alloc, _f32, type _NativeKernel, _output } from "./_kernel_types.ts";

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** Workspaces of recent training-mode MaxPool outputs, by the output's dataId. */
const workspaceByOutput = new WeakMap<object, { input: object; workspace: Uint8Array }>();

function supported(x: tf.TensorInfo, info: Info): boolean {
  const p = info.padInfo;
  // Padding of a whole window or more would give outputs with no input (tfjs: -Infinity).
  return _allFloat32(x) && x.shape.length === 4 && tf.util.sizeFromShape(info.outShape) > 0 &&
    p.top >= 0 && p.left >= 0 && p.bottom >= 0 && p.right >= 0 &&
    p.top < info.filterHeight && p.bottom < info.filterHeight && p.left < info.filterWidth &&
    p.right < info.filterWidth;
}

/**
 * Input floats below which pooling runs on one thread: 1 MiB, compact-cnn's first pool up to
 * batch 20, so training batches (64 and up) keep both threads as before.
 */
const SMALL_POOL_FLOATS = 1 << 18;

function singleThreaded(info: Info): boolean {
  return tf.util.sizeFromShape(info.inShape) < SMALL_POOL_FLOATS;
}

function geometry(d: _DnnlLibrary, info: Info) {
  const { batchSize: n, inChannels: c } = info;
  return {
    src: d.md([n, c, info.inHeight, info.inWidth], _DNNL.nhwc),
    dst: d.md([n, c, info.outHeight, info.outWidth], _DNNL.nhwc),
    strides: d.dims([info.strideHeight, info.strideWidth]),
    kernel: d.dims([info.filterHeight, info.filterWidth]),
    dilation: d.dims([0, 0]),
    padL: d.dims([info.padInfo.top, info.padInfo.left]),
    padR: d.dims([info.padInfo.bottom, info.padInfo.right]),
  };
}

function forwardSpec(d: _DnnlLibrary, info: Info, training: boolean): _PrimitiveSpec | undefined {
  const g = geometry(d, info);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_pooling_v2_desc_t);
  const status = d.symbols.dnnl_pooling_v2_forward_desc_init(
    opDesc,
    training ? _DNNL.forward_training : _DNNL.forward_inference,
    _DNNL.pooling_max,
    g.src,
    g.dst,
    g.strides,
    g.kernel,
    g.dilation,
    g.padL,
    g.padR,
  );
  if (status !== _DNNL.success) return undefined;
  const args: _ArgSpec[] = [{ arg: _DNNL.ARG_SRC, md: g.src }, { arg: _DNNL.ARG_DST, md: g.dst }];
  if (training) args.push({ arg: _DNNL.ARG_WORKSPACE, md: "workspace" });
  return { opDesc, singleThreaded: singleThreaded(info), args };
}

/** The inference max pool of `info` as a spec for an inference plan (as the kernel builds it). */
export function _maxPoolInferenceSpec(d: _DnnlLibrary, info: Info): _PrimitiveSpec | undefined {
  return forwardSpec(d, info, false);
}

function backwardSpec(d: _DnnlLibrary, info: Info): _PrimitiveSpec | undefined {
  const hint = forwardSpec(d, info, true);
  if (hint === undefined) return undefined;
  const g = geometry(d, info);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_pooling_v2_desc_t);
  const status = d.symbols.dnnl_pooling_v2_backward_desc_init(
    opDesc,
    _DNNL.pooling_max,
    g.src,
    g.dst,
    g.strides,
    g.kernel,
    g.dilation,
    g.padL,
    g.padR,
  );
  if (status !== _DNNL.success) return undefined;
  return {
    opDesc,
    hint,
    singleThreaded: singleThreaded(info),
    args: [
      { arg: _DNNL.ARG_DIFF_DST, md: g.dst },
      { arg: _DNNL.ARG_WORKSPACE, md: "workspace" },
      { arg: _DNNL.ARG_DIFF_SRC, md: g.src },
    ],
  };
}

function key(kind: string, info: Info): string {
  const p = info.padInfo;
  return `maxpool ${kind} ${info.inShape} ${info.filterHeight}x${info.filterWidth} ` +
    `s${info.strideHeight},${info.strideWidth} p${p.top},${p.left},${p.bottom},${p.right}`;
}

/** True while tfjs records operations for gradients (only then does MaxPoolGrad follow). */
function recordingGradients(): boolean {
  return ((tf.engine().state as unknown as { gradientDepth?: number }).gradientDepth ?? 1) > 0;
}

function forwardPrimitive(d: _DnnlLibrary, info: Info, training: boolean) {
  return d.primitive(key(training ? "train" : "infer", info), () => forwardSpec(d, info, training));
}

/** Runs the training forward pass into `out`; returns the workspace it filled. */
function forwardTraining(prim: _DnnlPrimitive, xv: Float32Array, out: Float32Array): Uint8Array {
  const workspace = new Uint8Array(prim.workspaceBytes);
  prim.execute([xv, out, workspace]);
  return workspace;
}

/** The oneDNN max-pooling kernels. */
export function _dnnlMaxPoolKernels(d: _DnnlLibrary): _NativeKernel[] {
  return [
    {
      kernelName: tf.MaxPool,
      kernelFunc: (args, fallback) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        if (x.shape.length !== 4) return fallback(args);
        const info = _poolInfo(x.shape, args.attrs ?? {});
        if (!supported(x, info)) return fallback(args);
        const training = recordingGradients();
        const prim = forwardPrimitive(d, info, training);
        if (prim === undefined) return fallback(args);
        const xv = _f32(args.backend, x);
        const size = tf.util.sizeFromShape(info.outShape);
        if (!training) {
          const out = _alloc(args.backend, size);
          prim.execute([xv, out]);
          return _output(args.backend, info.outShape, out);
        }
        const out = _alloc(args.backend, size);
        const workspace = forwardTraining(prim, xv, out);
        const result = _output(args.backend, info.outShape, out);
        workspaceByOutput.set(result.dataId, { input: x.dataId, workspace });
        return result;
      },
    },
    {
      kernelName: tf.MaxPoolGrad,
      kernelFunc: (args, fallback) => {
        const { dy, input, output } = args.inputs as Record<string, tf.TensorInfo>;
        if (!_allFloat32(dy) || input!.shape.length !== 4) return fallback(args);
        const info = _poolInfo(input!.shape, args.attrs ?? {});
        if (!supported(input!, info)) return fallback(args);
        const prim = d.primitive(key("bwd", info), () => backwardSpec(d, info));
        if (prim === undefined) return fallback(args);
        let workspace = workspaceByOutput.get(output!.dataId);
        if (workspace?.input !== input!.dataId) workspace = undefined;
        let ws = workspace?.workspace;
        if (ws === undefined || ws.length !== prim.workspaceBytes) {
          const fwd = forwardPrimitive(d, info, true);
          if (fwd === undefined) return fallback(args);
          const out = new Float32Array(tf.util.sizeFromShape(info.outShape));
          ws = forwardTraining(fwd, _f32(args.backend, input!), out);
        }
        const dyv = _f32(args.backend, dy!);
        const dx = _alloc(args.backend, tf.util.sizeFromShape(input!.shape));
        prim.execute([dyv, ws, dx]);
        return _output(args.backend, [...input!.shape], dx);
      },
    },
  ];
}
