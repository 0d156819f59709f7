import * as tf from "@tensorflow/tfjs";

/** The slice of BackendWasm the hand-written kernels use (the package exports no class type). */
export interface _HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The running wasm backend, seen through the methods above. */
export function _heapBackend(): _HeapBackend {
  return tf.findBackend("wasm") as unknown as _HeapBackend;
}

/**
 * Allocates a float32 tensor on the wasm heap, lets `fill` write it through a heap view, and
 * returns it as an engine-tracked tensor (disposed by the caller's tidy like any other).
 */
export function _heapTensor<R extends tf.Rank>(
  shape: number[],
  fill: (out: Float32Array, heap: _HeapBackend) => void,
): tf.Tensor<R> {
  const heap = _heapBackend();
  const info = heap.makeOutput(shape, "float32");
  // The view is taken after makeOutput: allocating may grow (and detach) the wasm memory.
  fill(heap.typedArrayFromHeap(info), heap);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}
