/** What `navigator.gpu` offers in this process. */
export interface WebGpuProbe {
  /** An adapter was returned. */
  available: boolean;
  /** The adapter is a software/fallback one (e.g. Mesa llvmpipe): correct but slow. */
  fallback: boolean;
  /** Human-readable adapter description, or why there is none. */
  description: string;
}

/** Mesa/SwiftShader/WARP software rasterizers, for runtimes that do not set isFallbackAdapter. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|microsoft basic render|warp/i;

/**
 * Asks `navigator.gpu` for an adapter and reports whether it is a real GPU. An adapter counts as
 * a fallback when `adapter.isFallbackAdapter` or `adapter.info.isFallbackAdapter` says so (Deno
 * sets the latter) or its description names a software rasterizer.
 *
 * @example
 * ```ts
 * const probe = await probeWebGpu();
 * console.log(probe.available, probe.fallback, probe.description);
 * ```
 */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (gpu === undefined) {
    return { available: false, fallback: false, description: "navigator.gpu is not available" };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { available: false, fallback: false, description: `requestAdapter failed: ${message}` };
  }
  if (adapter === null) {
    return { available: false, fallback: false, description: "navigator.gpu returned no adapter" };
  }
  const info = ((adapter as unknown as { info?: Record<string, unknown> }).info) ?? {};
  const field = (key: string) => (typeof info[key] === "string" ? info[key] as string : "");
  const text = field("description") ||
    ["vendor", "architecture", "device"].map(field).filter((v) => v !== "").join(" ");
  const flagged = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    info["isFallbackAdapter"] === true;
  return {
    available: true,
    fallback: flagged || SOFTWARE_ADAPTER.test(text),
    description: text === "" ? "unnamed adapter" : text,
  };
}
