/**
 * What the benchmarks print before their figures: the CPU (lscpu's model name), the library
 * versions on both sides, the load average at the start (a warning above 0.3: the figures are
 * then not to be trusted), and the machine's peak GFLOP/s to set measured GFLOP/s against.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * The 1-minute load average when the benchmark process started, read before it launches anything
 * (PyTorch's version probe alone raises it), so the quiet-machine check sees the machine, not us.
 */
const LOAD_AT_START = Deno.loadavg()[0]!;

/** Load average (1 min) above which the benchmarks warn that other work shares the cores. */
export const QUIET_LOAD = 0.3;

/** The machine and the software the figures were measured with. */
export interface _SystemInfo {
  cpu: string;
  cores: number;
  /** Clock in GHz from /proc/cpuinfo's "cpu MHz" (the kernel's reading; nominal in most VMs). */
  clockGhz: number;
  /** FLOPs per cycle and core assumed for the peak, and why. */
  flopsPerCycle: number;
  flopsBasis: string;
  /** cores × flopsPerCycle × clock, GFLOP/s. */
  peakGflops: number;
  loadAverage: number;
  versions: Record<string, string>;
}

/** Collects {@linkcode _SystemInfo}; `torch` adds the PyTorch side's versions when known. */
export async function _systemInfo(torch?: Record<string, string>): Promise<_SystemInfo> {
  const lscpu = await _output("lscpu", []);
  const field = (name: string) =>
    lscpu.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1]?.trim() ?? "";
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const mhz = Number(cpuinfo.match(/^cpu MHz\s*:\s*([\d.]+)/m)?.[1] ?? NaN);
  const cores = Number(field("CPU\\(s\\)")) || navigator.hardwareConcurrency;
  const { flopsPerCycle, flopsBasis } = _flopsPerCycle(
    field("Vendor ID"),
    Number(field("CPU family")),
    /\bavx512f\b/.test(field("Flags")),
  );
  const clockGhz = Number.isFinite(mhz) ? mhz / 1000 : NaN;
  const packages = await _output("dpkg-query", [
    "-W",
    "-f",
    "${Package} ${Version}\\n",
    "libdnnl2",
    "libopenblas0-pthread",
  ]);
  const pkg = (name: string) =>
    packages.match(new RegExp(`^${name} (\\S+)`, "m"))?.[1] ?? "not installed";
  return {
    cpu: field("Model name") || "unknown",
    cores,
    clockGhz,
    flopsPerCycle,
    flopsBasis,
    peakGflops: cores * flopsPerCycle * clockGhz,
    loadAverage: LOAD_AT_START,
    versions: {
      tfjs: tf.version.tfjs,
      deno: Deno.version.deno,
      ...(torch ?? {}),
      "libdnnl2 (digits native)": pkg("libdnnl2"),
      "OpenBLAS (digits native)": pkg("libopenblas0-pthread"),
    },
  };
}

/**
 * FLOPs per cycle and core: two FMA pipes × vector lanes × 2. Zen 5 (AMD family 26) and Intel
 * cores with AVX-512 run two full 512-bit FMAs (64); Zen 4 (family 25) executes AVX-512 on
 * 256-bit pipes, as do AVX2 cores (32).
 */
function _flopsPerCycle(
  vendor: string,
  family: number,
  avx512: boolean,
): { flopsPerCycle: number; flopsBasis: string } {
  if (vendor === "AuthenticAMD" && family >= 26) {
    return { flopsPerCycle: 64, flopsBasis: "Zen 5: 2 × 512-bit FMA" };
  }
  if (vendor === "GenuineIntel" && avx512) {
    return { flopsPerCycle: 64, flopsBasis: "AVX-512: 2 × 512-bit FMA assumed" };
  }
  if (avx512) return { flopsPerCycle: 32, flopsBasis: "AVX-512 on 2 × 256-bit FMA pipes (Zen 4)" };
  return { flopsPerCycle: 32, flopsBasis: "AVX2: 2 × 256-bit FMA" };
}

/** The header lines the benchmarks print. */
export function _formatSystemInfo(info: _SystemInfo): string[] {
  const versions = Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(", ");
  const lines = [
    `cpu: ${info.cpu}, ${info.cores} cores, ${info.clockGhz.toFixed(2)} GHz (/proc/cpuinfo)`,
    `peak: ${info.cores} cores × ${info.flopsPerCycle} FLOP/cycle (${info.flopsBasis}) × ` +
    `${info.clockGhz.toFixed(2)} GHz = ${info.peakGflops.toFixed(0)} GFLOP/s ` +
    `(at that clock; a boost clock above it reads as more than 100%)`,
    `versions: ${versions}`,
    `load average at start: ${info.loadAverage.toFixed(2)}`,
  ];
  if (info.loadAverage > QUIET_LOAD) {
    lines.push(
      `WARNING: load average ${info.loadAverage.toFixed(2)} > ${QUIET_LOAD}: other work shares ` +
        "the cores, so these figures do not hold; measure on a quiet machine",
    );
  }
  return lines;
}

/** The median and the min–max of a list of figures. */
export function _spread(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

async function _output(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout);
  } catch {
    return "";
  }
}
