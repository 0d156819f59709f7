/**
 * The batch sizes the server runs its model at (TF Serving's `allowed_batch_sizes`).
 *
 * @module
 */

/**
 * The batch sizes a model call is padded up to, ascending, ending at `maxBatch`: every size up
 * to 8, multiples of 4 up to 32, then multiples of 8 (18 sizes for `maxBatch` 64). A call pads
 * at most 3 images below 32 and 7 above, 27 % at most from 12 on.
 *
 * Why pad: the native backend builds oneDNN primitives per input shape, about 9 per batch size
 * for compact-cnn, and the first call at a new size paid 3–15 ms for them (shared 2-core machine
 * under load; 5 ms per size in a warm-up loop), while a warm call at batch 3–50 took 1.3–3.2 ms.
 * Serving 16 or 64 clients sees most sizes from 1 to 64: unpadded, that is 64 rounds of
 * first-call stalls and 576 primitives (more than the cache holds, so the LRU cache would
 * rebuild them under load); padded, 18 sizes that the server builds at start-up. TF Serving's
 * batching pads to its `allowed_batch_sizes` for the same reason.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchBuckets } from "./batch_buckets.ts";
 * assert.deepEqual(batchBuckets(64), [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64]);
 * assert.deepEqual(batchBuckets(10), [1, 2, 3, 4, 5, 6, 7, 8, 10]);
 * ```
 */
export function batchBuckets(maxBatch: number): number[] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  const sizes: number[] = [];
  for (let n = 1; n < maxBatch; n += n < 8 ? 1 : n < 32 ? 4 : 8) sizes.push(n);
  sizes.push(maxBatch);
  return sizes;
}
