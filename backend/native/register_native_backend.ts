/**
 * Registers the "native" tfjs backend: the cpu backend's tensor storage and kernels, with the hot
 * kernels replaced, all on the tensors' own typed arrays through Deno FFI (no copies):
 *
 * - with oneDNN (libdnnl2, the library PyTorch's CPU kernels run on): convolutions and their
 *   gradients (bias and ReLU/ELU fused), max pooling and its gradient, batch normalization;
 * - with OpenBLAS (libopenblas0-pthread): matrix products, and convolutions where oneDNN is
 *   missing or does not take the case (dilations, NCHW);
 * - literal typed-array loops: common elementwise ops, reductions, softmax, and the rest where
 *   oneDNN is missing.
 */
import * as tf from "@tensorflow/tfjs";
import { _loadOpenBlas } from "./_openblas.ts";
import { _NativeBackend } from "./_native_backend.ts";
import type { _Fallback, _NativeKernel } from "./_kernel_types.ts";
import { _matMulKernels } from "./_matmul_kernels.ts";
import { _conv2dKernels } from "./_conv2d_kernels.ts";
import { _maxPoolKernels } from "./_max_pool_kernels.ts";
import { _batchNormTrainingKernels } from "./_batch_norm_training_kernels.ts";
import { _elementwiseKernels } from "./_elementwise_kernels.ts";
import { _reduceKernels } from "./_reduce_kernels.ts";
import { _softmaxKernels } from "./_softmax_kernel.ts";
import { _loadDnnl } from "./_dnnl.ts";
import { _dnnlKernels } from "./_dnnl_kernels.ts";
import { _optimizerUpdateKernels } from "./_optimizer_update_kernels.ts";
import { _conv2dBiasReluKernels } from "./_conv2d_bias_relu_kernels.ts";
import { _dropoutMaskKernels } from "./_dropout_mask_kernels.ts";

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
  /**
   * The libraries in use, short: "oneDNN + OpenBLAS", or "OpenBLAS only (...)" saying how to get
   * oneDNN; "" when the backend is unavailable.
   */
  libraries: string;
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
    return unavailable("Deno FFI (Deno.dlopen) is not available in this runtime");
  }
  for (const name of ["ffi", "env"] as const) {
    if (Deno.permissions.querySync({ name }).state !== "granted") {
      return unavailable(`it needs --allow-${name} (run with -A)`);
    }
  }
  const blas = _loadOpenBlas();
  if (typeof blas === "string") return unavailable(blas);

  const dnnl = _loadDnnl();
  const cpuKernels = tf.getKernelsForBackend("cpu");
  if (cpuKernels.length === 0) {
    return unavailable("the tfjs cpu backend's kernels are not registered");
  }
  const registered = tf.registerBackend(
    NATIVE_BACKEND_NAME,
    () => new _NativeBackend(),
    BACKEND_PRIORITY,
  );
  if (!registered) {
    return unavailable(`a tfjs backend named '${NATIVE_BACKEND_NAME}' already exists`);
  }
  // Later entries override earlier ones of the same name and fall back to them (see below).
  const kernels: _NativeKernel[] = [
    ..._matMulKernels(blas),
    ..._conv2dKernels(blas),
    ..._maxPoolKernels(),
    ..._elementwiseKernels(),
    ..._reduceKernels(),
    ..._softmaxKernels(),
    ...(typeof dnnl === "string" ? [] : _dnnlKernels(dnnl)),
  ];
  const count = registerOverrides(cpuKernels, kernels);
  const dnnlNote = typeof dnnl === "string"
    ? `; oneDNN unavailable, so convolutions run on OpenBLAS (${dnnl})`
    : `; ${dnnl.description}`;
  return {
    ok: true,
    reason: `OpenBLAS ${blas.path} (core ${blas.coreName}, ${blas.threads} threads)${dnnlNote}; ` +
      `${count} native kernels`,
    libraries: typeof dnnl === "string"
      ? "OpenBLAS only, without oneDNN: apt-get install libdnnl2"
      : "oneDNN + OpenBLAS",
  };
}

function unavailable(reason: string): NativeBackendStatus {
  return { ok: false, reason, libraries: "" };
}

/**
 * Registers every cpu kernel and this project's fused batch norm kernels on the native backend,
 * each wrapped by the native kernels of its name: a native kernel that skips a case calls the
 * one listed before it, down to the cpu (or JS-loop) kernel. Returns how many kernel names have
 * a native implementation.
 */
function registerOverrides(cpuKernels: tf.KernelConfig[], kernels: _NativeKernel[]): number {
  const base = new Map<string, tf.KernelConfig>();
  for (const config of cpuKernels) {
    const cpuFunc = config.kernelFunc as unknown as _Fallback;
    // Every cpu kernel reports its outputs, which may alias pooled arrays (see _NativeBackend).
    const fallback: _Fallback = (args) => {
      const out = cpuFunc(args);
      args.backend.noteForeignOutputs(args.inputs, out);
      return out;
    };
    base.set(config.kernelName, {
      ...config,
      backendName: NATIVE_BACKEND_NAME,
      kernelFunc: fallback as unknown as tf.KernelFunc,
    });
  }
  // Kernels tfjs has no cpu version of: the fused training-mode batch norm and its gradient, the
  // one-pass optimizer updates, conv + bias + ReLU with its one-kernel gradient, dropout masks.
  const fused = [
    ..._batchNormTrainingKernels(NATIVE_BACKEND_NAME),
    ..._optimizerUpdateKernels(NATIVE_BACKEND_NAME),
    ..._conv2dBiasReluKernels(NATIVE_BACKEND_NAME),
    ..._dropoutMaskKernels(NATIVE_BACKEND_NAME),
  ];
  for (const config of fused) base.set(config.kernelName, config);
  const funcs = new Map<string, _Fallback>();
  for (const [name, config] of base) funcs.set(name, config.kernelFunc as unknown as _Fallback);
  // Names with a native implementation: the fused batch norm, and every overridden cpu kernel.
  const native = new Set(fused.map((c) => c.kernelName));
  for (const k of kernels) {
    const below = funcs.get(k.kernelName);
    if (below === undefined) continue; // no such kernel in this tfjs
    funcs.set(k.kernelName, (args) => k.kernelFunc(args, below));
    native.add(k.kernelName);
  }
  for (const [name, config] of base) {
    tf.registerKernel({ ...config, kernelFunc: funcs.get(name) as unknown as tf.KernelFunc });
  }
  return native.size;
}
