import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "../../../backend/wasm_kernels/register_wasm_training_kernels.ts";

/** Runs `f` on the named backend and returns its output values. */
export async function _runOn(
  backend: "cpu" | "wasm",
  f: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  if (backend === "wasm") registerWasmTrainingKernels();
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  const out = f();
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  return { values, shape };
}

/** Largest |a−b| relative to max(1, |b|) over two equal-length arrays. */
export function _maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!(d <= worst)) worst = d; // NaN propagates as a failure
  }
  return worst;
}

/** Deterministic pseudo-random values in [-1, 1) (tfjs's RNG differs between backends). */
export function _values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
