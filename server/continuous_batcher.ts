/**
 * Continuous batching, as Triton's dynamic batcher and vLLM do it: a request that finds the model
 * idle runs at once; requests that arrive while a model call runs queue up, and the next call
 * takes up to `maxBatch` images of them as soon as the model is free.
 *
 * @module
 */

import { setImmediate } from "node:timers";

/**
 * A batched model call: `x` holds `count` images (NHWC floats in [0, 1], one after another); it
 * resolves to `count * classes` probabilities, one row per image. `x` is the batcher's buffer for
 * that batch size: read it during the call, never keep it.
 */
export type BatchPredictFn = (x: Float32Array, count: number) => Promise<Float32Array>;

/** Options of a {@linkcode ContinuousBatcher}. */
export interface ContinuousBatcherOptions {
  /** The model call. */
  predict: BatchPredictFn;
  /** Floats per image (height × width × channels). */
  imageSize: number;
  /** Probabilities per image (the number of classes). */
  classes: number;
  /** Most images in one model call (1 turns batching off). */
  maxBatch: number;
  /**
   * Extra wait in milliseconds for a queue that built up during a model call to fill towards
   * `maxBatch` before the next call (default 0). A request that finds the model idle never
   * waits. Not measured to help on 2 cores, hence off by default.
   */
  waitMs?: number;
  /** Called with the size of each model call (for metrics). */
  onBatch?: (size: number) => void;
}

/**
 * Resolves after the event loop has polled I/O once, not after a fixed time: `setImmediate`
 * (a few µs here), where `setTimeout(0)` takes about 2 ms in Deno.
 */
function _yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Pending {
  x: Float32Array;
  count: number;
  resolve: (probs: Float32Array) => void;
  reject: (err: unknown) => void;
}

/**
 * Groups concurrent predictions into model calls of at most `maxBatch` images. Model calls run one
 * at a time. A request larger than `maxBatch` is cut into several calls. An error in one model call
 * rejects exactly the requests of that call; the next call runs as usual.
 *
 * Inputs are packed into one buffer allocated once (`maxBatch` images); each batch size uses a
 * view of it, so the request path allocates no input memory per call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContinuousBatcher } from "./continuous_batcher.ts";
 * const sizes: number[] = [];
 * const batcher = new ContinuousBatcher({
 *   predict: (_x, n) => Promise.resolve(new Float32Array(n * 2).fill(0.5)),
 *   imageSize: 4, classes: 2, maxBatch: 8, onBatch: (n) => sizes.push(n),
 * });
 * await batcher.predict(new Float32Array(4), 1); // the model is idle: runs at once
 * await Promise.all([1, 2, 3].map(() => batcher.predict(new Float32Array(4), 1)));
 * assert.deepEqual(sizes, [1, 3]);
 * ```
 */
export class ContinuousBatcher {
  #options: ContinuousBatcherOptions;
  #queue: Pending[] = [];
  #queued = 0;
  #running = false;
  /** One input buffer for the largest batch; `#views[n]` is the view for a batch of n images. */
  #views: Float32Array[];
  /** Wakes a waiting loop when the queue reaches `maxBatch` (only with `waitMs` > 0). */
  #wake: (() => void) | undefined;

  constructor(options: ContinuousBatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    const waitMs = options.waitMs ?? 0;
    if (!(waitMs >= 0)) throw new RangeError(`waitMs must be zero or more, got ${waitMs}`);
    this.#options = options;
    const buffer = new Float32Array(options.maxBatch * options.imageSize);
    this.#views = Array.from(
      { length: options.maxBatch + 1 },
      (_, n) => buffer.subarray(0, n * options.imageSize),
    );
  }

  /** Predicts `count` images stored one after another in `x`; resolves to their probabilities. */
  async predict(x: Float32Array, count: number): Promise<Float32Array> {
    const { imageSize, maxBatch, classes } = this.#options;
    if (!Number.isInteger(count) || count < 1 || x.length !== count * imageSize) {
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
      if (this.#queued >= this.#options.maxBatch) this.#wake?.();
      if (!this.#running) {
        this.#running = true;
        // A microtask, not a timer: requests enqueued in the same turn share the first call.
        queueMicrotask(() => void this.#loop());
      }
    });
  }

  /**
   * Runs model calls back to back while requests are queued, then goes idle. After each call it
   * yields once to the event loop before looking at the queue: on the CPU backends a model call
   * is synchronous, so requests that reach the socket during it are only read (and queued) once
   * the event loop runs again. Without this yield every request would find the model idle and
   * run alone.
   */
  async #loop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        await this.#runBatch(this.#takeBatch());
        await _yieldToEventLoop();
        if (this.#queue.length > 0) await this.#waitForCompany();
      }
    } finally {
      this.#running = false;
    }
  }

  /** With `waitMs` > 0: lets a queue that formed during the last call fill up a little more. */
  async #waitForCompany(): Promise<void> {
    const waitMs = this.#options.waitMs ?? 0;
    if (waitMs === 0 || this.#queued >= this.#options.maxBatch) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      this.#wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    this.#wake = undefined;
  }

  /** Takes whole requests from the head of the queue, up to `maxBatch` images. */
  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.#queue.length > 0 && size + this.#queue[0]!.count <= this.#options.maxBatch) {
      const next = this.#queue.shift()!;
      batch.push(next);
      size += next.count;
    }
    this.#queued -= size;
    return batch;
  }

  /** One model call for `batch`; its result or its error goes to exactly these requests. */
  async #runBatch(batch: Pending[]): Promise<void> {
    const { classes } = this.#options;
    let size = 0;
    for (const p of batch) size += p.count;
    try {
      const x = this.#views[size]!;
      let offset = 0;
      for (const p of batch) {
        x.set(p.x, offset);
        offset += p.x.length;
      }
      this.#options.onBatch?.(size);
      const probs = await this.#options.predict(x, size);
      if (probs.length !== size * classes) {
        throw new RangeError(`the model returned ${probs.length} values for ${size} images`);
      }
      let row = 0;
      for (const p of batch) {
        p.resolve(probs.subarray(row * classes, (row + p.count) * classes));
        row += p.count;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
