/**
 * Types and helpers shared by the native kernels: the native backend is a `MathBackendCPU` (tensors
 * live in JS typed arrays), so a kernel reads its inputs' arrays, computes with OpenBLAS or plain
 * loops, and wraps a new array as its output.
 */
import type * as tf from "@tensorflow/tfjs";
import type { _NativeBackend } from "./_native_backend.ts";

/** The backend class the native backend instantiates. */
export type _CpuBackend = _NativeBackend;

/** Arguments tfjs passes to a kernel function. */
export interface _KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: _CpuBackend;
  attrs?: tf.NamedAttrMap;
}

/** The cpu backend's implementation of the same kernel, called for cases a native kernel skips. */
export type _Fallback = (args: _KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** A native kernel: returns its result, or calls `fallback` for cases it does not handle. */
export interface _NativeKernel {
  kernelName: string;
  kernelFunc: (args: _KernelArgs, fallback: _Fallback) => tf.TensorInfo | tf.TensorInfo[];
}

/** The float32 values of a tensor held by the backend (converted once if stored otherwise). */
export function _f32(backend: _CpuBackend, info: tf.TensorInfo): Float32Array {
  const values = backend.data.get(info.dataId).values;
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/** Wraps `values` as a new float32 tensor of the backend. */
export function _output(
  backend: _CpuBackend,
  shape: number[],
  values: Float32Array,
): tf.TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** A float32 array of length n with undefined contents, recycled from disposed outputs. */
export function _alloc(backend: _CpuBackend, n: number): Float32Array {
  return backend.allocFloat32(n);
}

/** A zero-filled float32 array of length n (recycled when possible). */
export function _allocZeroed(backend: _CpuBackend, n: number): Float32Array {
  return backend.allocFloat32(n).fill(0);
}

/** True when every given tensor is float32 (native kernels handle only float32). */
export function _allFloat32(...infos: (tf.TensorInfo | undefined)[]): boolean {
  return infos.every((t) => t === undefined || t.dtype === "float32");
}

let scratch = new Float32Array(0);

/**
 * A reusable work buffer of at least `n` floats (contents undefined). Kernels run one at a time,
 * and each uses it only within one call, so one shared buffer avoids re-allocating (and zeroing)
 * tens of megabytes per convolution.
 */
export function _scratch(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(Math.max(n, scratch.length * 2));
  return scratch.subarray(0, n);
}
