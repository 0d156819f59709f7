/**
 * `Relu`, `Elu` and `EluGrad` on oneDNN's eltwise primitives, over the tensor as one flat array.
 *
 * Why oneDNN (measured in one process on the shared 2-core machine, best of 20, compact-cnn's
 * activation sizes at batch 64, 0.2–0.8 M floats): ReLU 4–8× faster than the JS loop, ELU 30–60×
 * (the loop's Math.exp is slow), EluGrad 3–9×. Below MIN_SIZE floats the two are even (the
 * call overhead and the OpenMP wake-up dominate), so small tensors stay on the JS loops.
 * ReLU's gradient is tfjs's `Step` × `Multiply`, no kernel of its own, so it stays on the loops
 * there; the fused convolution's gradient (backend/conv2d_bias_relu.ts) masks dy with oneDNN's
 * ReLU backward (`_dnnlReluBackward`): 0.7 against the loop's 1.5 ms for deotte's first layer at
 * batch 64 (1.4 M floats), 0.04 against 0.06 ms at 65 k, same output bit for bit.
 */
import * as tf from "@tensorflow/tfjs";
import { _DNNL, _DNNL_SIZES } from "./_dnnl_abi.ts";
import type { _DnnlLibrary, _PrimitiveSpec } from "./_dnnl.ts";
import { _alloc, _f32, type _NativeKernel, _output } from "./_kernel_types.ts";

/** Smallest tensor (floats) handed to oneDNN. */
const MIN_SIZE = 16384;

function forwardSpec(d: _DnnlLibrary, alg: number, n: number): _PrimitiveSpec | undefined {
  const md = d.md([n], _DNNL.x);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_eltwise_desc_t);
  // α: ReLU's negative slope (0), ELU's α (1, as tfjs).
  const elu = alg === _DNNL.eltwise_elu || alg === _DNNL.eltwise_elu_use_dst_for_bwd;
  const alpha = elu ? 1 : 0;
  const status = d.symbols.dnnl_eltwise_forward_desc_init(
    opDesc,
    _DNNL.forward_training,
    alg,
    md,
    alpha,
    0,
  );
  if (status !== _DNNL.success) return undefined;
  return { opDesc, args: [{ arg: _DNNL.ARG_SRC, md }, { arg: _DNNL.ARG_DST, md }] };
}

/**
 * The gradient of an eltwise op from its output y (`alg` one of oneDNN's `*_use_dst_for_bwd`
 * algorithms): ELU's dy where y > 0, dy·(y + 1) elsewhere (alpha 1, tfjs's EluGrad); ReLU's dy
 * where y > 0, 0 elsewhere (alpha 0).
 */
function useDstGradSpec(
  d: _DnnlLibrary,
  alg: number,
  alpha: number,
  n: number,
): _PrimitiveSpec | undefined {
  const hint = forwardSpec(d, alg, n);
  if (hint === undefined) return undefined;
  const md = d.md([n], _DNNL.x);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_eltwise_desc_t);
  const status = d.symbols.dnnl_eltwise_backward_desc_init(opDesc, alg, md, md, alpha, 0);
  if (status !== _DNNL.success) return undefined;
  return {
    opDesc,
    hint,
    args: [
      { arg: _DNNL.ARG_DST, md },
      { arg: _DNNL.ARG_DIFF_DST, md },
      { arg: _DNNL.ARG_DIFF_SRC, md },
    ],
  };
}

/**
 * Writes dy·(y > 0) into `out` (y a ReLU output, all three of one length) with oneDNN; returns
 * false, having written nothing, below MIN_SIZE floats or where oneDNN has no such primitive.
 */
export function _dnnlReluBackward(
  d: _DnnlLibrary,
  y: Float32Array,
  dy: Float32Array,
  out: Float32Array,
): boolean {
  const n = y.length;
  if (n < MIN_SIZE) return false;
  const prim = d.primitive(
    `eltwise relu grad ${n}`,
    () => useDstGradSpec(d, _DNNL.eltwise_relu_use_dst_for_bwd, 0, n),
  );
  if (prim === undefined) return false;
  prim.execute([y, dy, out]);
  return true;
}

function unary(d: _DnnlLibrary, kernelName: string, alg: number): _NativeKernel {
  return {
    kernelName,
    kernelFunc: (args, fallback) => {
      const x = args.inputs.x!;
      const n = tf.util.sizeFromShape(x.shape);
      if (x.dtype !== "float32" || n < MIN_SIZE) return fallback(args);
      const prim = d.primitive(`eltwise ${alg} ${n}`, () => forwardSpec(d, alg, n));
      if (prim === undefined) return fallback(args);
      const xv = _f32(args.backend, x);
      const out = _alloc(args.backend, n);
      prim.execute([xv, out]);
      return _output(args.backend, [...x.shape], out);
    },
  };
}

/** The oneDNN activation kernels. */
export function _dnnlEltwiseKernels(d: _DnnlLibrary): _NativeKernel[] {
  return [
    unary(d, tf.Relu, _DNNL.eltwise_relu),
    unary(d, tf.Elu, _DNNL.eltwise_elu),
    {
      kernelName: tf.EluGrad,
      kernelFunc: (args, fallback) => {
        const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
        const n = tf.util.sizeFromShape(y.shape);
        const same = dy.shape.length === y.shape.length &&
          dy.shape.every((s, i) => s === y.shape[i]);
        if (dy.dtype !== "float32" || y.dtype !== "float32" || !same || n < MIN_SIZE) {
          return fallback(args);
        }
        const prim = d.primitive(
          `eltwise elu grad ${n}`,
          () => useDstGradSpec(d, _DNNL.eltwise_elu_use_dst_for_bwd, 1, n),
        );
        if (prim === undefined) return fallback(args);
        const yv = _f32(args.backend, y);
        const dyv = _f32(args.backend, dy);
        const dx = _alloc(args.backend, n);
        prim.execute([yv, dyv, dx]);
        return _output(args.backend, [...y.shape], dx);
      },
    },
  ];
}
