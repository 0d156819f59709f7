import * as tf from "@tensorflow/tfjs";
import { ensureXdgRuntimeDir } from "./probe_webgpu.ts";

/**
 * Makes `webgpu` the active tfjs backend. Tries the factory that @tensorflow/tfjs-backend-webgpu
 * registers; if that fails (some Deno versions reject its device setup: it reads adapter info only
 * after creating the device and passes one feature name wrapped in an array), registers a factory
 * that reads the info first and passes flat feature names, and tries again.
 * Throws an error naming both failures when neither works.
 *
 * @example
 * ```ts
 * await initWebGpuBackend();
 * ```
 */
export async function initWebGpuBackend(): Promise<void> {
  const webgpu = await import("@tensorflow/tfjs-backend-webgpu");
  let first = "";
  try {
    if (await tf.setBackend("webgpu")) return;
    first = "tf.setBackend('webgpu') returned false";
  } catch (error) {
    first = error instanceof Error ? error.message : String(error);
  }
  tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", async () => {
    const gpu = (navigator as { gpu?: GPU }).gpu;
    ensureXdgRuntimeDir();
    const adapter = await gpu?.requestAdapter({ powerPreference: "high-performance" });
    if (adapter === undefined || adapter === null) throw new Error("no WebGPU adapter");
    const info = (adapter as { info?: GPUAdapterInfo }).info; // read before requestDevice
    const requiredFeatures: GPUFeatureName[] = [];
    if (adapter.features.has("timestamp-query")) requiredFeatures.push("timestamp-query");
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    return new webgpu.WebGPUBackend(device, info as unknown as never);
  }, 0);
  let second = "";
  try {
    if (await tf.setBackend("webgpu")) return;
    second = "tf.setBackend('webgpu') returned false";
  } catch (error) {
    second = error instanceof Error ? error.message : String(error);
  }
  throw new Error(
    `the webgpu backend failed to initialise (tfjs factory: ${first}; fallback factory: ${second}); ` +
      "use --backend wasm",
  );
}
