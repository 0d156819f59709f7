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
 * Mesa's Vulkan loader prints "XDG_RUNTIME_DIR is invalid or not set" to stderr when it probes for
 * a Wayland display in a headless process. Give it a private, empty runtime folder (0700, as the
 * XDG spec asks) so a user does not see that noise; an existing value is left alone.
 */
export function ensureXdgRuntimeDir(): void {
  try {
    if (Deno.env.get("XDG_RUNTIME_DIR")) return;
    // One folder per user, reused by every run, so nothing piles up in the temp folder.
    const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/digits-xdg-${Deno.uid() ?? 0}`;
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.env.set("XDG_RUNTIME_DIR", dir);
  } catch {
    // Without env or write permission the probe still works; only the warning remains.
  }
}

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
  ensureXdgRuntimeDir();
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
