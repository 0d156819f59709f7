/**
 * Registers the "native" tfjs backend: the cpu backend's tensor storage and kernels, with the hot
 * kernels replaced: matrix products and convolutions (and their gradients) by OpenBLAS sgemm
 * through Deno FFI (no copies), max pooling, common elementwise ops and reductions by literal
 * typed-array loops.
 */
import * as tf from "@tensorflow/tfjs";
import { _loadOpenBlas } from "./_openblas.ts";
import { _NativeBackend } from "./_native_backend.ts";
import type { _Fallback, _KernelArgs, _NativeKernel } from "./_kernel_types.ts";
import { _matMulKernels } from "./_matmul_kernels.ts";
import { _conv2dKernels } from "./_conv2d_kernels.ts";
import { _maxPoolKernels } from "./_max_pool_kernels.ts";
import { _batchNormTrainingKernels } from "./_batch_norm_training_kernels.ts";
import { _elementwiseKernels } from "./_elementwise_kernels.ts";
import { _reduceKernels } from "./_reduce_kernels.ts";
import { _optimizerUpdateKernels } from "./_optimizer_update_kernels.ts";

/** The tfjs backend name this module registers. */
export const NATIVE_BACKEND_NAME = "native";

/**
 * Below cpu (1) and wasm (2): tfjs never picks "native" on its own; `selectBackend` sets it by
 * name.
 */
const BACKEND_PRIORITY = 0;

/** Outcome of {@linkcode registerNativeBackend}. */
export interface NativeBackendStatus {
  /** True when the backend is registered and can be set with `tf.setBackend("native")`. */
  ok: boolean;
  /** What was loaded (library path, OpenBLAS core, threads), or why the backend is unavailable. */
  reason: string;
}

let status: NativeBackendStatus | undefined;

/**
 * Registers the "native" backend once (later calls return the first outcome). Returns
 * `ok: false` with the reason, e.g. how to install OpenBLAS, when it cannot be used, so callers
 * keep the portable wasm path.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { registerNativeBackend } from "./register_native_backend.ts";
 *
 * const { ok, reason } = await registerNativeBackend();
 * if (ok) await tf.setBackend("native");
 * else console.log(`native backend unavailable: ${reason}`);
 * ```
 */
export function registerNativeBackend(): Promise<NativeBackendStatus> {
  if (status === undefined) status = register();
  return Promise.resolve(status);
}

function register(): NativeBackendStatus {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") {
    return { ok: false, reason: "Deno FFI (Deno.dlopen) is not available in this runtime" };
  }
  for (const name of ["ffi", "env"] as const) {
    if (Deno.permissions.querySync({ name }).state !== "granted") {
      return { ok: false, reason: `it needs --allow-${name} (run with -A)` };
    }
  }
  const blas = _loadOpenBlas();
  if (typeof blas === "string") return { ok: false, reason: blas };

  const cpuKernels = tf.getKernelsForBackend("cpu");
  if (cpuKernels.length === 0) {
    return { ok: false, reason: "the tfjs cpu backend's kernels are not registered" };
  }
  const registered = tf.registerBackend(
    NATIVE_BACKEND_NAME,
    () => new _NativeBackend(),
    BACKEND_PRIORITY,
  );
  if (!registered) {
    return { ok: false, reason: `a tfjs backend named '${NATIVE_BACKEND_NAME}' already exists` };
  }
  const native = new Map<string, _NativeKernel>();
  const kernels = [
    ..._matMulKernels(blas),
    ..._conv2dKernels(blas),
    ..._maxPoolKernels(),
    ..._elementwiseKernels(),
    ..._reduceKernels(),
  ];
  for (const k of kernels) {
    native.set(k.kernelName, k);
  }
  for (const config of cpuKernels) {
    const cpuFunc = config.kernelFunc as unknown as _Fallback;
    // Every cpu kernel reports its outputs, which may alias pooled arrays (see _NativeBackend).
    const fallback: _Fallback = (args) => {
      const out = cpuFunc(args);
      args.backend.noteForeignOutputs(args.inputs, out);
      return out;
    };
    const override = native.get(config.kernelName);
    const kernelFunc = override === undefined
      ? fallback
      : (args: _KernelArgs) => override.kernelFunc(args, fallback);
    tf.registerKernel({
      ...config,
      backendName: NATIVE_BACKEND_NAME,
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    });
  }
  // Kernels tfjs has no cpu version of: the fused training-mode batch norm and its gradient, and
  // the one-pass optimizer updates.
  const fused = [
    ..._batchNormTrainingKernels(NATIVE_BACKEND_NAME),
    ..._optimizerUpdateKernels(NATIVE_BACKEND_NAME),
  ];
  for (const k of fused) tf.registerKernel(k);
  return {
    ok: true,
    reason: `OpenBLAS ${blas.path} (core ${blas.coreName}, ${blas.threads} threads); ` +
      `${native.size + fused.length} native kernels`,
  };
}
