/**
 * Dynamic micro-batching, as TF Serving and Triton do it: requests that arrive close together are
 * grouped into one model call, up to `maxBatch` images, waiting at most `timeoutMs` for company.
 *
 * @module
 */

/**
 * A batched model call: `x` holds `count` images (NHWC floats in [0, 1], one after another); it
 * resolves to `count * classes` probabilities, one row per image.
 */
export type BatchPredictFn = (x: Float32Array, count: number) => Promise<Float32Array>;

/** Options of a {@linkcode MicroBatcher}. */
export interface MicroBatcherOptions {
  /** The model call. */
  predict: BatchPredictFn;
  /** Floats per image (height × width × channels). */
  imageSize: number;
  /** Probabilities per image (the number of classes). */
  classes: number;
  /** Most images in one model call (1 turns batching off). */
  maxBatch: number;
  /** Longest wait, in milliseconds, for more requests before a partial batch runs. */
  timeoutMs: number;
  /** Called with the size of each model call (for metrics). */
  onBatch?: (size: number) => void;
}

interface Pending {
  x: Float32Array;
  count: number;
  resolve: (probs: Float32Array) => void;
  reject: (err: unknown) => void;
}

/**
 * Groups concurrent predictions into model calls of at most `maxBatch` images. A request larger
 * than `maxBatch` is cut into several calls. Model calls run one at a time; requests that arrive
 * during a call queue up and form the next batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { MicroBatcher } from "./micro_batcher.ts";
 * const sizes: number[] = [];
 * const batcher = new MicroBatcher({
 *   predict: (_x, n) => Promise.resolve(new Float32Array(n * 2).fill(0.5)),
 *   imageSize: 4, classes: 2, maxBatch: 8, timeoutMs: 5, onBatch: (n) => sizes.push(n),
 * });
 * await Promise.all([1, 2, 3].map(() => batcher.predict(new Float32Array(4), 1)));
 * assert.ok(sizes.length === 1 && sizes[0] === 3);
 * ```
 */
export class MicroBatcher {
  #options: MicroBatcherOptions;
  #queue: Pending[] = [];
  #queued = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(options: MicroBatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    if (!(options.timeoutMs >= 0)) {
      throw new RangeError(`timeoutMs must be zero or more, got ${options.timeoutMs}`);
    }
    this.#options = options;
  }

  /** Predicts `count` images stored one after another in `x`; resolves to their probabilities. */
  async predict(x: Float32Array, count: number): Promise<Float32Array> {
    const { imageSize, maxBatch, classes } = this.#options;
    if (x.length !== count * imageSize) {
      throw new RangeError(`expected ${count * imageSize} floats for ${count} images`);
    }
    if (count <= maxBatch) return await this.#enqueue(x, count);
    const parts: Promise<Float32Array>[] = [];
    for (let start = 0; start < count; start += maxBatch) {
      const n = Math.min(maxBatch, count - start);
      parts.push(this.#enqueue(x.subarray(start * imageSize, (start + n) * imageSize), n));
    }
    const out = new Float32Array(count * classes);
    let offset = 0;
    for (const part of await Promise.all(parts)) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  #enqueue(x: Float32Array, count: number): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ x, count, resolve, reject });
      this.#queued += count;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running || this.#queue.length === 0) return;
    if (this.#queued >= this.#options.maxBatch || this.#options.timeoutMs === 0) {
      this.#clearTimer();
      void this.#flush();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#flush();
      }, this.#options.timeoutMs);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #flush(): Promise<void> {
    if (this.#running) return;
    const { imageSize, maxBatch, classes } = this.#options;
    const batch: Pending[] = [];
    let size = 0;
    while (this.#queue.length > 0 && size + this.#queue[0]!.count <= maxBatch) {
      const next = this.#queue.shift()!;
      batch.push(next);
      size += next.count;
    }
    if (batch.length === 0) return;
    this.#queued -= size;
    this.#running = true;
    try {
      let x: Float32Array;
      if (batch.length === 1) {
        x = batch[0]!.x;
      } else {
        x = new Float32Array(size * imageSize);
        let offset = 0;
        for (const p of batch) {
          x.set(p.x, offset);
          offset += p.x.length;
        }
      }
      this.#options.onBatch?.(size);
      const probs = await this.#options.predict(x, size);
      if (probs.length !== size * classes) {
        throw new RangeError(`the model returned ${probs.length} values for ${size} images`);
      }
      let offset = 0;
      for (const p of batch) {
        p.resolve(probs.slice(offset, offset + p.count * classes));
        offset += p.count * classes;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.#running = false;
      // Whatever queued up during the call has waited long enough: it forms the next batch now.
      if (this.#queue.length > 0) {
        this.#clearTimer();
        void this.#flush();
      }
    }
  }
}
