/**
 * One-pass optimizer kernels: "DigitsAdamUpdate", "DigitsMomentumUpdate" and
 * "DigitsRMSPropUpdate" each take a weight tensor, its gradient and the optimizer's state tensors
 * and return the updated weight and state, running the loops of optimizer_update_loops.ts. A
 * backend registers them through {@linkcode optimizerUpdateKernels} (native and wasm do); the
 * fused optimizers (fused_adam_optimizer.ts, …) call them when the active backend has them.
 *
 * Where an input's memory is seen by no other tensor (and, on native, was never handed out by
 * `dataSync`), the kernel updates it in place and returns it as its own output (one more
 * reference, as the cpu backend's Identity does); otherwise it writes a fresh tensor. So after
 * the first step a native optimizer step allocates nothing. On wasm only the optimizer's state
 * is updated in place: XNNPACK caches convolution and dense operators with their weights packed,
 * keyed by the weight tensor's id, so a weight must get a new tensor (and id) when it changes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { adamUpdate, momentumUpdate, rmsPropUpdate } from "./optimizer_update_loops.ts";

/** Kernel: inputs x, g, m, v, accBeta1, accBeta2; attrs learningRate, beta1, beta2, epsilon → [x, m, v]. */
export const ADAM_UPDATE = "DigitsAdamUpdate";
/** Kernel: inputs x, g, acc; attrs learningRate, momentum, useNesterov → [x, acc]. */
export const MOMENTUM_UPDATE = "DigitsMomentumUpdate";
/**
 * Kernel: inputs x, g, ms, mom (and mg when centered); attrs learningRate, decay, momentum,
 * epsilon → [x, ms, mom] (and mg).
 */
export const RMSPROP_UPDATE = "DigitsRMSPropUpdate";

/** Whether the active backend has the one-pass kernel `kernelName`. */
export function hasOptimizerUpdate(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** How a backend's kernel reads, reuses and allocates float32 tensors. */
export interface UpdateArrays {
  /** A new float32 tensor of `shape` on the backend (contents undefined). */
  allocate(shape: number[]): tf.TensorInfo;
  /** The tensor's values. Taken after every allocation: wasm's heap may move when it grows. */
  view(info: tf.TensorInfo): Float32Array;
  /**
   * True when no other tensor or reader can see the tensor's memory, so it may be overwritten.
   * `weights` is true for the weight tensor x, false for the optimizer's own state.
   */
  writable(info: tf.TensorInfo, weights: boolean): boolean;
  /** The tensor itself as a kernel output (one more reference to its data). */
  share(info: tf.TensorInfo): tf.TensorInfo;
}

/**
 * The three kernels for a backend. Inputs are checked: float32 with the weight's size, scalars
 * for Adam's accBeta; the error names the kernel and the input.
 */
export function optimizerUpdateKernels(
  backendName: string,
  arrays: (backend: unknown) => UpdateArrays,
): tf.KernelConfig[] {
  const adam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const io = arrays(backend);
    const [x, m, v] = _outputs(ADAM_UPDATE, io, inputs, ["x", "m", "v"], ["g"]);
    const scalar = (name: string) => {
      const t = inputs[name];
      if (t === undefined || tf.util.sizeFromShape(t.shape) !== 1) {
        throw new TypeError(`${ADAM_UPDATE}: input '${name}' must be a scalar`);
      }
      return io.view(t)[0]!;
    };
    const [xv, g, mv, vv] = views(io, inputs, ["x", "g", "m", "v"]);
    adamUpdate({
      x: xv!,
      g: g!,
      m: mv!,
      v: vv!,
      xOut: io.view(x!),
      mOut: io.view(m!),
      vOut: io.view(v!),
    }, {
      ...(attrs as unknown as { learningRate: number; beta1: number; beta2: number }),
      epsilon: attrs!.epsilon as number,
      accBeta1: scalar("accBeta1"),
      accBeta2: scalar("accBeta2"),
    });
    return [x!, m!, v!];
  };
  const momentum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const io = arrays(backend);
    const [x, acc] = _outputs(MOMENTUM_UPDATE, io, inputs, ["x", "acc"], ["g"]);
    const [xv, g, av] = views(io, inputs, ["x", "g", "acc"]);
    momentumUpdate(
      { x: xv!, g: g!, acc: av!, xOut: io.view(x!), accOut: io.view(acc!) },
      attrs as unknown as { learningRate: number; momentum: number; useNesterov: boolean },
    );
    return [x!, acc!];
  };
  const rmsProp: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const io = arrays(backend);
    const state = inputs.mg === undefined ? ["x", "ms", "mom"] : ["x", "ms", "mom", "mg"];
    const out = _outputs(RMSPROP_UPDATE, io, inputs, state, ["g"]);
    const [g, xv, ms, mom, mg] = views(io, inputs, ["g", ...state]);
    rmsPropUpdate(
      {
        x: xv!,
        g: g!,
        ms: ms!,
        mom: mom!,
        ...(mg === undefined ? {} : { mg, mgOut: io.view(out[3]!) }),
        xOut: io.view(out[0]!),
        msOut: io.view(out[1]!),
        momOut: io.view(out[2]!),
      },
      attrs as unknown as {
        learningRate: number;
        decay: number;
        momentum: number;
        epsilon: number;
      },
    );
    return out;
  };
  return [
    { kernelName: ADAM_UPDATE, backendName, kernelFunc: adam },
    { kernelName: MOMENTUM_UPDATE, backendName, kernelFunc: momentum },
    { kernelName: RMSPROP_UPDATE, backendName, kernelFunc: rmsProp },
  ];
}

/** The named inputs' arrays (taken after the outputs are allocated). */
function views(
  io: UpdateArrays,
  inputs: tf.NamedTensorInfoMap,
  names: string[],
): Float32Array[] {
  return names.map((n) => io.view(inputs[n]!));
}

/**
 * Checks every input named in `state` and `readOnly` (float32, x's size), then returns one output
 * per `state` input: the input itself when it may be overwritten, else a fresh tensor.
 */
function _outputs(
  kernel: string,
  io: UpdateArrays,
  inputs: tf.NamedTensorInfoMap,
  state: string[],
  readOnly: string[],
): tf.TensorInfo[] {
  const x = inputs.x;
  const n = x === undefined ? -1 : tf.util.sizeFromShape(x.shape);
  for (const name of [...state, ...readOnly]) {
    const t = inputs[name];
    if (t === undefined || t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== n) {
      throw new TypeError(`${kernel}: input '${name}' must be float32 with the size of 'x' (${n})`);
    }
  }
  return state.map((name) => {
    const t = inputs[name]!;
    return io.writable(t, name === "x") ? io.share(t) : io.allocate([...t.shape]);
  });
}
