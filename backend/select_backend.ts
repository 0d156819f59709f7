import * as tf from "@tensorflow/tfjs";

/** Backend names a user may ask for. */
export const BACKEND_NAMES = ["auto", "webgpu", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The backend in use and why it was chosen (printed, and recorded in the manifest). */
export interface BackendChoice {
  name: string;
  reason: string;
}

/**
 * Picks and initialises the tfjs backend. `auto` prefers WebGPU on a real (non-fallback) adapter,
 * then the fastest CPU path. This is the one place that decides; every command calls it.
 *
 * FIRST VERSION (foundation): wasm or cpu only. The speed issue replaces the body.
 */
export async function selectBackend(requested: string = "auto"): Promise<BackendChoice> {
  if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw new RangeError(
      `unknown backend '${requested}': expected one of ${BACKEND_NAMES.join(", ")}`,
    );
  }
  if (requested === "cpu") {
    await tf.setBackend("cpu");
    await tf.ready();
    return { name: "cpu", reason: "requested with --backend cpu" };
  }
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
  await tf.ready();
  return {
    name: "wasm",
    reason: requested === "wasm" ? "requested with --backend wasm" : "auto: no GPU adapter; wasm",
  };
}
