/**
 * The backend class behind "native": tfjs's `MathBackendCPU` (tensors are JS typed arrays, which
 * FFI can hand to OpenBLAS without copies) plus a pool that recycles the float32 arrays of
 * disposed kernel outputs. Allocating a fresh 10–25 MB array per op cost more than the op itself
 * (page faults and zeroing on every touch of new memory: 5× the time of a ReLU over it).
 *
 * Recycling is only safe for an array nobody else can still see, so an array is pooled only if:
 * a native kernel allocated it (`allocFloat32`); it was never returned by `readSync`/`read`
 * (`dataSync()` hands out the backend's own array); and no non-native kernel returned a view of
 * its memory (the cpu `Slice` returns a `subarray` of its input) — see `noteForeignOutputs`.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Arrays below this many floats (16 KiB) are left to V8's own allocator. A fresh 50 KB array
 * (compact-cnn's first activation at batch 1, 12,544 floats) took 26 µs to allocate against 2.4
 * µs for 25 KB; pooling from 4,096 floats up made a batch-1 model call 3–5 % faster (208–218
 * against 214–229 µs, median of 500 interleaved calls) and batch 4 3–6 %.
 */
const MIN_POOLED = 1 << 12;
/** Upper bound on floats held in the pool (1 GiB). */
const MAX_POOLED_FLOATS = 1 << 28;

export class _NativeBackend extends tf.MathBackendCPU {
  /** Arrays from allocFloat32 that may be recycled, by their buffer. */
  #owned = new WeakMap<ArrayBufferLike, Float32Array>();
  #free = new Map<number, Float32Array[]>();
  #pooledFloats = 0;

  constructor() {
    super();
    // No "install tfjs-node" banner: it is misleading for this backend.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A float32 array of length n with undefined contents (recycled when possible). */
  allocFloat32(n: number): Float32Array {
    if (n < MIN_POOLED) return new Float32Array(n);
    const reused = this.#free.get(n)?.pop();
    if (reused !== undefined) {
      this.#pooledFloats -= n;
      this.#owned.set(reused.buffer, reused);
      return reused;
    }
    const fresh = new Float32Array(n);
    this.#owned.set(fresh.buffer, fresh);
    return fresh;
  }

  /**
   * True when `values` is an array a native kernel allocated that no reader and no foreign view
   * has seen: a kernel may then overwrite it in place (the optimizer updates do).
   */
  isPrivate(values: unknown): boolean {
    return values instanceof Float32Array && this.#owned.get(values.buffer) === values;
  }

  /** Marks memory shared with `values` as not recyclable. */
  #disown(values: unknown): void {
    if (ArrayBuffer.isView(values)) this.#owned.delete(values.buffer);
  }

  /**
   * Call with the inputs and outputs of every non-native kernel: an output that is a new tensor
   * over a pooled array's memory (a view) makes that array unpoolable. Outputs that reuse an
   * input's dataId (reshape) are safe: the data is reference-counted.
   */
  noteForeignOutputs(
    inputs: tf.NamedTensorInfoMap,
    outputs: tf.TensorInfo | tf.TensorInfo[],
  ): void {
    for (const t of Array.isArray(outputs) ? outputs : [outputs]) {
      if (Object.values(inputs).some((i) => i?.dataId === t.dataId)) continue;
      if (this.data.has(t.dataId)) this.#disown(this.data.get(t.dataId).values);
    }
  }

  override readSync(dataId: tf.DataId): tf.BackendValues {
    const values = super.readSync(dataId);
    if (this.data.has(dataId)) this.#disown(this.data.get(dataId).values);
    this.#disown(values);
    return values;
  }

  override read(dataId: tf.DataId): Promise<tf.BackendValues> {
    return Promise.resolve(this.readSync(dataId));
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (released && values instanceof Float32Array && this.#owned.get(values.buffer) === values) {
      this.#owned.delete(values.buffer);
      if (this.#pooledFloats + values.length <= MAX_POOLED_FLOATS) {
        const list = this.#free.get(values.length);
        if (list === undefined) this.#free.set(values.length, [values]);
        else list.push(values);
        this.#pooledFloats += values.length;
      }
    }
    return released;
  }

  override dispose(): void {
    this.#free.clear();
    this.#pooledFloats = 0;
    super.dispose();
  }
}
