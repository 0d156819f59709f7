/**
 * Loads OpenBLAS through Deno FFI and exposes row-major `sgemm` on Float32Arrays (no copies: FFI
 * `buffer` parameters pass the typed array's memory directly).
 *
 * Debian's OpenBLAS 0.3.21 does not recognise recent Xeons and falls back to slower kernels, so
 * `OPENBLAS_CORETYPE=SkylakeX` is set before the library loads when the CPU has AVX-512 (about 2×
 * faster sgemm here).
 */

/** Where Debian and other distributions put the library; the bare soname goes through ld.so. */
const LIBRARY_CANDIDATES = [
  "libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/lib/libopenblas.so.0",
  "/usr/local/lib/libopenblas.so.0",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

/** Threads OpenBLAS may use: this project targets a 2-core machine (fewer if the CPU has fewer). */
const OPENBLAS_THREADS = Math.max(1, Math.min(2, navigator.hardwareConcurrency ?? 2));

/**
 * Products below this many floating-point operations (2·m·n·k) run on one thread, as oneDNN's
 * small convolutions do (backend/native/_dnnl_conv2d_kernels.ts). OpenBLAS's own cut-off
 * (m·n·k below 262,144) sends a batch-4 dense layer of compact-cnn (4×576·576×128) to both
 * threads, and after each call its idle worker spins on `sched_yield` for about 2^28 cycles (0.1
 * s) before it sleeps: 300 batch-16 compact-cnn calls with 1 ms gaps burned 1.3–1.5 s of
 * process CPU (0.7–0.9 s of it in the kernel) for 0.46–0.57 s of model calls, a core taken from
 * the load generator and the JS thread on a 2-core machine; with this bound, 0.66–0.75 s for
 * 0.51–0.69 s. Per call two threads are faster while the worker spins (64×576·576×128: 0.10
 * against 0.15 ms), not counting the core it holds. Training's batch-64 dense layers of
 * compact-cnn (9.4 MFLOP) fall under the bound too; larger products keep both threads. Setting
 * the thread count costs 0.1 µs.
 */
const SMALL_GEMM_FLOPS = 1e7;

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
    nonblocking: false,
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", nonblocking: false },
  openblas_get_num_threads: { parameters: [], result: "i32", nonblocking: false },
  openblas_get_corename: { parameters: [], result: "pointer", nonblocking: false },
} as const;

/** Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C. */
export type _Sgemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
) => void;

/** A loaded OpenBLAS: its sgemm, where it came from and what it runs on. */
export interface _OpenBlas {
  sgemm: _Sgemm;
  path: string;
  coreName: string;
  threads: number;
}

let loaded: _OpenBlas | string | undefined;

/** True when /proc/cpuinfo lists avx512f (false when it cannot be read, e.g. not Linux). */
function cpuHasAvx512(): boolean {
  try {
    return /\bavx512f\b/.test(Deno.readTextFileSync("/proc/cpuinfo"));
  } catch {
    return false;
  }
}

/**
 * Loads OpenBLAS once. Returns the library, or a message saying why it is unavailable and how to
 * install it.
 */
export function _loadOpenBlas(): _OpenBlas | string {
  if (loaded !== undefined) return loaded;
  // Overrides an inherited OPENBLAS_CORETYPE (some images export Haswell): on AVX-512 CPUs the
  // SkylakeX kernels are about 2× faster. DIGITS_OPENBLAS_CORETYPE forces a core if ever needed.
  const forced = Deno.env.get("DIGITS_OPENBLAS_CORETYPE");
  if (forced !== undefined) Deno.env.set("OPENBLAS_CORETYPE", forced);
  else if (cpuHasAvx512()) Deno.env.set("OPENBLAS_CORETYPE", "SkylakeX");
  const failures: string[] = [];
  for (const path of LIBRARY_CANDIDATES) {
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (error) {
      failures.push(error instanceof Error ? error.message.split("\n")[0] ?? path : path);
      continue;
    }
    const s = lib.symbols;
    s.openblas_set_num_threads(OPENBLAS_THREADS);
    const namePtr = s.openblas_get_corename();
    const coreName = namePtr === null
      ? "unknown"
      : new Deno.UnsafePointerView(namePtr).getCString();
    const sgemm: _Sgemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (m === 0 || n === 0) return;
      const small = OPENBLAS_THREADS > 1 && 2 * m * n * k < SMALL_GEMM_FLOPS;
      if (small) s.openblas_set_num_threads(1);
      s.cblas_sgemm(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
      if (small) s.openblas_set_num_threads(OPENBLAS_THREADS);
    };
    loaded = { sgemm, path, coreName, threads: s.openblas_get_num_threads() };
    return loaded;
  }
  loaded = `libopenblas.so.0 not found (${failures[0] ?? "no candidate path"}); ` +
    "install it with: apt-get install libopenblas0-pthread";
  return loaded;
}
