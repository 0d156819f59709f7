/**
 * `l2(args)`: tfjs's L2 weight penalty l2·Σw² (`tf.regularizers.l2`) as one op with a one-pass
 * gradient 2·l2·w. tfjs builds it from Square, Multiply, Sum and Add, and its gradient from a
 * `ones` fill and four full-size Multiplies: about eight passes over the weights per step, which
 * for kaggle-cnn's two L2 dense kernels (1.4 M weights) were seven Multiply/Add calls over 2304×512
 * in the profile of a training step. Here: Square and Sum forward, one Multiply backward.
 * It saves as tfjs's "L1L2" with the same config, so a saved model loads in stock tfjs unchanged.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { registerAsStock, stockClass } from "./stock_class.ts";

type L2Args = Parameters<typeof tf.regularizers.l2>[0];

/** The fields of tfjs's L1L2 that the fast path reads (not in its typings). */
interface L1L2Fields {
  l2: number;
  hasL1: boolean;
  hasL2: boolean;
}

/** tfjs's L1L2 as this file uses it. */
interface L1L2Instance {
  apply(x: tf.Tensor): tf.Scalar;
  getClassName(): string;
  getConfig(): tf.serialization.ConfigDict;
}
type RegularizerClass = new (args: { l1?: number; l2?: number }) => L1L2Instance;

let fastClass: RegularizerClass | undefined;

/** l2·Σx² with the gradient 2·l2·x·dy, as one differentiable op. */
function l2Penalty(x: tf.Tensor, l2: number): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const w = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([w]);
    return {
      value: tf.mul(tf.sum(tf.square(w)), l2) as tf.Scalar,
      gradFunc: (dy, saved) => tf.mul(saved[0]!, tf.mul(dy, 2 * l2)),
    };
  });
  return op(x) as tf.Scalar;
}

/**
 * The subclass, made once and registered under tfjs's class name, so models loaded from disk in
 * this process (`--resume`) train through it too; its static `className` is inherited ("L1L2").
 */
function fastL1L2(): RegularizerClass {
  if (fastClass !== undefined) return fastClass;
  const Base = stockClass<RegularizerClass>("L1L2");

  class FastL1L2 extends Base {
    override apply(x: tf.Tensor): tf.Scalar {
      const f = this as unknown as L1L2Fields;
      if (f.hasL1 || !f.hasL2) return super.apply(x);
      return tf.tidy(() => l2Penalty(x, f.l2));
    }
  }
  fastClass = registerAsStock(FastL1L2);
  return fastClass;
}

/**
 * An L2 regularizer (same arguments and default as `tf.regularizers.l2`: l2 = 0.01).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { l2 } from "./l2_regularizer.ts";
 * const reg = l2({ l2: 1e-4 });
 * assert.strictEqual(reg.getClassName(), "L1L2");
 * assert.deepStrictEqual(reg.getConfig(), { l1: 0, l2: 1e-4 });
 * ```
 */
export function l2(args?: L2Args): ReturnType<typeof tf.regularizers.l2> {
  return new (fastL1L2())({ l1: 0, l2: args?.l2 ?? 0.01 }) as unknown as ReturnType<
    typeof tf.regularizers.l2
  >;
}

/** Makes models loaded from disk from now on use the one-pass gradient too (for `--resume`). */
export function useFastL2(): void {
  fastL1L2();
}
