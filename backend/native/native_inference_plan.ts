/**
 * A model's inference pass as a fixed list of native steps on arrays allocated once: the
 * server's model call without tfjs tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type _DnnlLibrary, type _DnnlPrimitive, _loadDnnl } from "./_dnnl.ts";
import { _loadOpenBlas, type _OpenBlas } from "./_openblas.ts";
import { _convInferenceSpec } from "./_dnnl_conv2d_kernels.ts";
import { _maxPoolInferenceSpec } from "./_dnnl_max_pool_kernels.ts";
import { _batchNormInferenceSpec } from "./_dnnl_batch_norm_kernels.ts";
import { _applyBiasActivation } from "./_bias_activation.ts";
import { _softmaxRows } from "./_softmax_kernel.ts";

/**
 * One layer of a chain model in inference mode, as plain data: the weights and the geometry.
 * Images are NHWC, filters HWIO, dense kernels (inputs × units), all row-major float32 (tfjs's
 * own layouts, so a flatten moves nothing).
 */
export type InferenceLayer =
  | {
    kind: "conv2d";
    filter: Float32Array;
    /** [height, width, in channels, out channels]. */
    filterShape: [number, number, number, number];
    bias?: Float32Array;
    strides: [number, number];
    padding: "same" | "valid";
    activation: "linear" | "relu" | "elu";
  }
  | {
    kind: "maxPool";
    poolSize: [number, number];
    strides: [number, number];
    padding: "same" | "valid";
  }
  | {
    kind: "batchNorm";
    mean: Float32Array;
    variance: Float32Array;
    gamma: Float32Array;
    beta: Float32Array;
    epsilon: number;
  }
  | { kind: "flatten" }
  | {
    kind: "dense";
    kernel: Float32Array;
    units: number;
    bias?: Float32Array;
    activation: "linear" | "relu" | "elu" | "softmax";
  }
  | { kind: "activation"; activation: "relu" | "softmax" };

/** A built plan: {@linkcode createNativeInferencePlan}. */
export interface NativeInferencePlan {
  /** The batch sizes it runs at. */
  readonly sizes: readonly number[];
  /** Floats per output row (classes). */
  readonly outputSize: number;
  /**
   * The model's output for the `batch` images in `x` (one of `sizes`). The result is a view of
   * the plan's own buffer: read it before the next `run`.
   */
  run(x: Float32Array, batch: number): Float32Array;
  /** Frees the oneDNN primitives. */
  dispose(): void;
}

/** One step at one batch size: reads `input`, writes (and returns) its output view. */
type Step = (input: Float32Array) => Float32Array;

/**
 * Builds `layers` for images of `inputShape` ([height, width, channels]) at each of `sizes`:
 * oneDNN primitives for convolutions (bias and ReLU fused), max pools and batch norms, OpenBLAS
 * for dense layers, and the native backend's own loops for bias, activations and softmax: the
 * same primitives and loops the native tfjs kernels run, so the output equals the tfjs model's
 * on the native backend. Returns why not (a string) when oneDNN or OpenBLAS is missing or a
 * layer's geometry is one oneDNN does not take.
 *
 * Why: a tfjs model call costs per layer, whatever its size: tensor bookkeeping, kernel lookup
 * and an output allocation. Measured on compact-cnn (AMD EPYC Zen 3, 2 cores, quiet machine,
 * median of 300 back-to-back calls in one process): the tfjs forward pass took 687 µs at batch 1,
 * 1,341 µs at batch 8; see `bench/measure_serve_call.ts` for this plan's figures. The layers
 * write into two arrays allocated once, for the largest size, and smaller sizes use views of
 * them, so a call allocates nothing.
 *
 * @example
 * ```ts ignore
 * import { createNativeInferencePlan } from "./native_inference_plan.ts";
 * const plan = createNativeInferencePlan([{ kind: "flatten" }, {
 *   kind: "dense", kernel: new Float32Array(4 * 2).fill(1), units: 2, activation: "softmax",
 * }], [2, 2, 1], [1]);
 * if (typeof plan !== "string") plan.run(new Float32Array(4), 1); // [0.5, 0.5]
 * ```
 */
export function createNativeInferencePlan(
  layers: readonly InferenceLayer[],
  inputShape: readonly [number, number, number],
  sizes: readonly number[],
): NativeInferencePlan | string {
  const dnnl = _loadDnnl();
  if (typeof dnnl === "string") return `oneDNN is unavailable (${dnnl})`;
  const blas = _loadOpenBlas();
  if (typeof blas === "string") return `OpenBLAS is unavailable (${blas})`;
  const largest = Math.max(...sizes);
  const owned: _DnnlPrimitive[] = [];
  const build = (spec: ReturnType<typeof _convInferenceSpec>, what: string) => {
    const prim = spec === undefined ? undefined : dnnl.build(spec);
    if (prim === undefined) throw new _NotPlannable(`oneDNN does not take ${what}`);
    owned.push(prim);
    return prim;
  };
  try {
    const buffers = _layerBuffers(layers, inputShape, largest);
    const stepsBySize = new Map<number, Step[]>();
    for (const n of sizes) {
      stepsBySize.set(n, _steps(layers, n, buffers, { dnnl, blas, build }));
    }
    const outputSize = buffers.perImage[buffers.perImage.length - 1]!;
    return {
      sizes: [...sizes],
      outputSize,
      run(x, batch) {
        const steps = stepsBySize.get(batch);
        if (steps === undefined) {
          throw new RangeError(`this plan runs at batch sizes ${sizes.join(", ")}, not ${batch}`);
        }
        let h = x;
        for (const step of steps) h = step(h);
        return h;
      },
      dispose() {
        for (const p of owned.splice(0)) p.destroy();
      },
    };
  } catch (error) {
    for (const p of owned) p.destroy();
    if (error instanceof _NotPlannable) return error.message;
    throw error;
  }
}

class _NotPlannable extends Error {}

interface Tools {
  dnnl: _DnnlLibrary;
  blas: _OpenBlas;
  build: (spec: ReturnType<typeof _convInferenceSpec>, what: string) => _DnnlPrimitive;
}

/**
 * Each layer's input shape and output floats per image, and two arrays that the layers write in
 * turn (each reads the other's output), each as large as the largest layer output at `largest`
 * images: a 5-member deotte ensemble needs 2 × 6.4 MB per member this way, against 44 MB with
 * one per layer.
 */
function _layerBuffers(
  layers: readonly InferenceLayer[],
  inputShape: readonly [number, number, number],
  largest: number,
) {
  const inShapes: number[][] = [];
  const perImage: number[] = [];
  let shape = [...inputShape];
  for (const layer of layers) {
    inShapes.push(shape);
    shape = _outputShape(layer, shape);
    perImage.push(shape.reduce((a, b) => a * b, 1));
  }
  const most = largest * Math.max(...perImage);
  return {
    inShapes,
    perImage,
    arrays: [new Float32Array(most), new Float32Array(most)] as const,
  };
}

/** The output shape (without the batch) of `layer` for an input of `shape`. */
function _outputShape(layer: InferenceLayer, shape: number[]): number[] {
  switch (layer.kind) {
    case "conv2d":
    case "maxPool": {
      const info = _geometry(layer, [1, ...shape]);
      return [info.outHeight, info.outWidth, info.outChannels];
    }
    case "flatten":
      return [shape.reduce((a, b) => a * b, 1)];
    case "dense": {
      // tfjs's Dense acts on the last axis of any input (wide-cnn applies one per position).
      const k = shape[shape.length - 1]!;
      if (layer.kernel.length !== k * layer.units) {
        throw new _NotPlannable(`a dense kernel of ${layer.kernel.length} floats for ${k} inputs`);
      }
      return [...shape.slice(0, -1), layer.units];
    }
    case "batchNorm":
    case "activation":
      return shape;
  }
}

/** tfjs's geometry of a convolution or pool on an NHWC input of `shape`. */
function _geometry(
  layer: Extract<InferenceLayer, { kind: "conv2d" | "maxPool" }>,
  shape: number[],
): tf.backend_util.Conv2DInfo {
  if (shape.length !== 4) {
    throw new _NotPlannable(`a ${layer.kind} needs an image input, got [${shape.slice(1)}]`);
  }
  const s = shape as [number, number, number, number];
  return layer.kind === "conv2d"
    ? tf.backend_util.computeConv2DInfo(
      s,
      layer.filterShape,
      layer.strides,
      1,
      layer.padding,
      undefined,
      false,
      "channelsLast",
    )
    : tf.backend_util.computePool2DInfo(s, layer.poolSize, layer.strides, 1, layer.padding);
}

/** The steps of `layers` at batch size `n`, writing into views of `buffers`. */
function _steps(
  layers: readonly InferenceLayer[],
  n: number,
  buffers: ReturnType<typeof _layerBuffers>,
  tools: Tools,
): Step[] {
  // Which array holds the current input: -1 for the caller's x. A flatten passes it on unchanged.
  let current = -1;
  return layers.map((layer, i) => {
    let out: Float32Array | undefined;
    if (layer.kind !== "flatten") {
      current = current === 0 ? 1 : 0;
      out = buffers.arrays[current]!.subarray(0, n * buffers.perImage[i]!);
    }
    return _step(layer, [n, ...buffers.inShapes[i]!], out, tools);
  });
}

/** One layer's step for an input of `shape` (batch first) into `out`. */
function _step(
  layer: InferenceLayer,
  shape: number[],
  out: Float32Array | undefined,
  tools: Tools,
): Step {
  const { dnnl, blas, build } = tools;
  switch (layer.kind) {
    case "flatten":
      return (x) => x;
    case "conv2d": {
      const info = _geometry(layer, shape);
      const prim = build(
        _convInferenceSpec(dnnl, info, layer.bias !== undefined, layer.activation),
        `the convolution ${layer.filterShape} on [${shape}]`,
      );
      const args = layer.bias === undefined
        ? [out!, layer.filter, out!]
        : [out!, layer.filter, layer.bias, out!];
      return _run(prim, args, out!);
    }
    case "maxPool": {
      const prim = build(
        _maxPoolInferenceSpec(dnnl, _geometry(layer, shape)),
        `the pool on [${shape}]`,
      );
      return _run(prim, [out!, out!], out!);
    }
    case "batchNorm": {
      const prim = build(
        _batchNormInferenceSpec(dnnl, shape, layer.epsilon),
        `batch norm on [${shape}]`,
      );
      const { mean, variance, gamma, beta } = layer;
      return _run(prim, [out!, mean, variance, gamma, beta, out!], out!);
    }
    case "dense": {
      const k = shape[shape.length - 1]!;
      const m = shape.reduce((a, b) => a * b, 1) / k;
      const units = layer.units;
      const fused = layer.activation === "softmax" ? "linear" : layer.activation;
      return (x) => {
        blas.sgemm(false, false, m, units, k, 1, x, k, layer.kernel, units, 0, out!, units);
        _applyBiasActivation(out!, units, layer.bias, fused, 0);
        if (layer.activation === "softmax") _softmaxRows(out!, out!, m, units);
        return out!;
      };
    }
    case "activation": {
      const cols = shape[shape.length - 1]!;
      const rows = shape.reduce((a, b) => a * b, 1) / cols;
      return layer.activation === "softmax"
        ? (x) => (_softmaxRows(x, out!, rows, cols), out!)
        : (x) => (out!.set(x), _applyBiasActivation(out!, cols, undefined, "relu", 0), out!);
    }
  }
}

/**
 * A step that runs `prim` on `args` (its argument arrays, allocated once) with the step's input
 * in slot 0, so a call allocates no argument list.
 */
function _run(prim: _DnnlPrimitive, args: ArrayBufferView[], out: Float32Array): Step {
  return (x) => {
    args[0] = x;
    prim.execute(args);
    return out;
  };
}
