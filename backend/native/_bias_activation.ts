/**
 * In-place bias add and activation for fused kernels (`_FusedMatMul`, `FusedConv2D`), matching the
 * cpu backend's formulas. PReLU is not handled here: kernels fall back to cpu for it.
 */

/** Activations `_applyBiasActivation` implements. */
const SUPPORTED = new Set(["linear", "relu", "relu6", "elu", "leakyrelu", "sigmoid"]);

/** True when `activation` (undefined means none) can be applied natively. */
export function _supportsActivation(activation: unknown): boolean {
  return activation === undefined || activation === null ||
    SUPPORTED.has(activation as string);
}

/**
 * Adds `bias` (length = last dimension `n`, or 1) to every row of `out`, then applies the
 * activation, in place.
 */
export function _applyBiasActivation(
  out: Float32Array,
  n: number,
  bias: Float32Array | undefined,
  activation: string | undefined,
  leakyAlpha: number,
): void {
  const len = out.length;
  if (activation === "relu" && bias !== undefined && bias.length === n) {
    // The common conv/dense case in one pass.
    for (let row = 0; row < len; row += n) {
      for (let j = 0; j < n; j++) {
        const v = out[row + j]! + bias[j]!;
        out[row + j] = (v + Math.abs(v)) * 0.5;
      }
    }
    return;
  }
  if (bias !== undefined) {
    if (bias.length === 1) {
      const b0 = bias[0]!;
      for (let i = 0; i < len; i++) out[i]! += b0;
    } else {
      for (let row = 0; row < len; row += n) {
        for (let j = 0; j < n; j++) out[row + j]! += bias[j]!;
      }
    }
  }
  switch (activation) {
    case undefined:
    case "linear":
      return;
    case "relu": // branch-free: a mispredicted compare per element costs 10× the arithmetic
      for (let i = 0; i < len; i++) {
        const v = out[i]!;
        out[i] = (v + Math.abs(v)) * 0.5;
      }
      return;
    case "relu6":
      for (let i = 0; i < len; i++) {
        const v = out[i]!;
        out[i] = v < 0 ? 0 : v > 6 ? 6 : v;
      }
      return;
    case "elu":
      for (let i = 0; i < len; i++) {
        const v = out[i]!;
        const a = Math.abs(v);
        out[i] = (v + a) * 0.5 + (Math.exp((v - a) * 0.5) - 1);
      }
      return;
    case "leakyrelu":
      for (let i = 0; i < len; i++) {
        const v = out[i]!;
        if (v < 0) out[i] = leakyAlpha * v;
      }
      return;
    case "sigmoid":
      for (let i = 0; i < len; i++) out[i] = 1 / (1 + Math.exp(-out[i]!));
      return;
    default:
      throw new RangeError(`unsupported fused activation '${activation}'`);
  }
}
