import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "./wasm_kernels/register_wasm_training_kernels.ts";
import { probeWebGpu } from "./probe_webgpu.ts";
import { initWebGpuBackend } from "./init_webgpu_backend.ts";
import { _timeConvStep } from "./_time_conv_step.ts";

import { BACKEND_NAMES, type BackendName } from "./backend_names.ts";

export { BACKEND_NAMES, type BackendName } from "./backend_names.ts";

/** The backend in use and why it was chosen (printed, and recorded in the manifest). */
export interface BackendChoice {
  name: string;
  reason: string;
}

/**
 * Picks and initialises the tfjs backend; the one place that decides, every command calls it.
 *
 * - `auto`: WebGPU on a real GPU adapter (never a software/fallback adapter such as llvmpipe),
 *   otherwise the fastest CPU path: the `native` backend (oneDNN and OpenBLAS) when it loads and measures
 *   faster than wasm on a small conv training step, else `wasm` (with this project's training
 *   kernels), else `cpu`.
 * - `webgpu` | `wasm` | `cpu` | `native`: exactly that, or an error saying why it is unavailable.
 *
 * The returned reason says what was chosen and why.
 *
 * @example
 * ```ts
 * const { name, reason } = await selectBackend("wasm");
 * console.log(`backend ${name}: ${reason}`);
 * ```
 */
export async function selectBackend(requested: string = "auto"): Promise<BackendChoice> {
  if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw new RangeError(
      `unknown backend '${requested}': expected one of ${BACKEND_NAMES.join(", ")}`,
    );
  }
  switch (requested as BackendName) {
    case "cpu":
      await setOrThrow("cpu");
      quietCpuBanner();
      return { name: "cpu", reason: "requested with --backend cpu" };
    case "wasm":
      await initWasm();
      return { name: "wasm", reason: "requested with --backend wasm" };
    case "native": {
      const native = await tryNative();
      if (!native.ok) {
        throw new Error(`--backend native is unavailable: ${native.reason}; use --backend wasm`);
      }
      await setOrThrow("native");
      return { name: "native", reason: `requested with --backend native (${native.reason})` };
    }
    case "webgpu": {
      const probe = await probeWebGpu();
      if (!probe.available) {
        throw new Error(
          `--backend webgpu is unavailable: ${probe.description}; use --backend auto`,
        );
      }
      await initWebGpuBackend();
      const kind = probe.fallback ? "software fallback adapter, slow" : "GPU adapter";
      return {
        name: "webgpu",
        reason: `requested with --backend webgpu (${kind}: ${probe.description})`,
      };
    }
    case "auto":
      return await selectAuto();
  }
}

async function selectAuto(): Promise<BackendChoice> {
  const probe = await probeWebGpu();
  let gpuNote: string;
  if (probe.available && !probe.fallback) {
    try {
      await initWebGpuBackend();
      return { name: "webgpu", reason: `auto: WebGPU adapter ${probe.description}` };
    } catch (error) {
      gpuNote = `WebGPU adapter ${probe.description} failed (${(error as Error).message})`;
    }
  } else if (probe.available) {
    gpuNote = `WebGPU adapter ${probe.description} is a software fallback, skipped`;
  } else {
    gpuNote = `no WebGPU (${probe.description})`;
  }

  let wasmError = "";
  try {
    await initWasm();
  } catch (error) {
    wasmError = (error as Error).message;
  }
  const native = await tryNative();
  if (native.ok) {
    if (wasmError !== "") {
      await setOrThrow("native");
      return { name: "native", reason: `auto: ${gpuNote}; wasm failed (${wasmError}); native` };
    }
    await setOrThrow("native");
    const nativeMs = await _timeConvStep();
    await setOrThrow("wasm");
    const wasmMs = await _timeConvStep();
    const figures = `conv step native ${nativeMs.toFixed(1)} ms vs wasm ${wasmMs.toFixed(1)} ms`;
    const what = `native (${native.libraries})`;
    if (nativeMs < wasmMs) {
      await setOrThrow("native");
      return { name: "native", reason: `auto: ${gpuNote}; ${what} is faster (${figures})` };
    }
    return { name: "wasm", reason: `auto: ${gpuNote}; wasm is faster than ${what} (${figures})` };
  }
  if (wasmError === "") {
    return {
      name: "wasm",
      reason: `auto: ${gpuNote}; native unavailable (${native.reason}); wasm`,
    };
  }
  await setOrThrow("cpu");
  quietCpuBanner();
  return { name: "cpu", reason: `auto: ${gpuNote}; wasm failed (${wasmError}); cpu (slow)` };
}

async function initWasm(): Promise<void> {
  registerWasmTrainingKernels(); // imports @tensorflow/tfjs-backend-wasm
  await setOrThrow("wasm");
}

async function tryNative(): Promise<{ ok: boolean; reason: string; libraries: string }> {
  try {
    const { registerNativeBackend } = await import("./native/register_native_backend.ts");
    return await registerNativeBackend();
  } catch (error) {
    const reason = `native backend did not load: ${(error as Error).message}`;
    return { ok: false, reason, libraries: "" };
  }
}

async function setOrThrow(name: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new Error(`the ${name} backend failed to initialise: ${(error as Error).message}`);
  }
  if (!ok) throw new Error(`the ${name} backend failed to initialise`);
  await tf.ready();
}

/** The cpu backend's one-time "install tfjs-node" banner does not apply to Deno; silence it. */
function quietCpuBanner(): void {
  const cpu = tf.findBackend("cpu") as unknown as { firstUse?: boolean } | null;
  if (cpu !== null && cpu.firstUse !== undefined) cpu.firstUse = false;
}
