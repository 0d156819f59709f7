/**
 * Dropout's keep mask in one pass from a seeded generator: 0 for a dropped unit, 1/(1 − rate) for
 * a kept one, so dropout is one Multiply.
 *
 * tfjs's `tf.dropout` draws the mask with `randomUniform` (seedrandom's alea, one JS call per
 * element through a TensorBuffer), then runs Add, Floor, RealDiv and Multiply over it: 6.1 ms for
 * deotte's first dropout at batch 64 (295 k floats) against 2.3 ms for this mask and its
 * Multiply, measured in one process on the shared 2-core machine. Its seed, when given, also
 * repeats the same mask at every step; this generator's state moves on at every call instead.
 *
 * The generator is xoshiro128** (period 2¹²⁸ − 1; as fast here as the 32-bit-state mulberry32,
 * whose period of 2³² draws a long deotte run would pass), seeded through splitmix32.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Kernel: no inputs; attrs shape, rate, state (a DropoutState) → the mask (float32). */
export const DROPOUT_MASK = "DigitsDropoutMask";

/** A generator's 128-bit state; `fillDropoutMask` advances it. */
export type DropoutState = Uint32Array;

/** A generator state from a 32-bit seed (splitmix32, so nearby seeds give unrelated streams). */
export function dropoutState(seed: number): DropoutState {
  const state = new Uint32Array(4);
  let s = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if (state.every((w) => w === 0)) state[0] = 1; // xoshiro's one forbidden state
  return state;
}

/**
 * Fills `out` with 0 (probability `rate`) or 1/(1 − rate), advancing `state`. A hot loop: the
 * state lives in locals, and the keep test is arithmetic, not a branch (a branch mispredicts on
 * random data, which made it 3× slower).
 */
export function fillDropoutMask(out: Float32Array, rate: number, state: DropoutState): void {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  const threshold = Math.floor(rate * 4294967296);
  const scale = 1 / (1 - rate);
  let s0 = state[0]! | 0, s1 = state[1]! | 0, s2 = state[2]! | 0, s3 = state[3]! | 0;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = scale * +((r >>> 0) >= threshold);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * A dropout mask tensor of `shape` (see {@linkcode fillDropoutMask}), from the backend's
 * DigitsDropoutMask kernel where it has one (native: a recycled array, no zero-filling), else
 * from a fresh array. Both give the same values for the same state.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { dropoutMask, dropoutState } from "./dropout_mask.ts";
 * const mask = dropoutMask([2, 500], 0.25, dropoutState(7));
 * const kept = (await mask.data()).filter((v) => v !== 0);
 * assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6));
 * assert.ok(Math.abs(kept.length / 1000 - 0.75) < 0.05);
 * mask.dispose();
 * ```
 */
export function dropoutMask(shape: number[], rate: number, state: DropoutState): tf.Tensor {
  if (tf.getKernel(DROPOUT_MASK, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(
      DROPOUT_MASK,
      {},
      { shape, rate, state } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fillDropoutMask(values, rate, state);
  return tf.tensor(values, shape, "float32");
}
