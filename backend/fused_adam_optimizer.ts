import * as tf from "@tensorflow/tfjs";
import { ADAM_UPDATE, hasOptimizerUpdate } from "./optimizer_update_kernels.ts";

/** tfjs's AdamOptimizer's private state (TypeScript `private`, plain fields at run time). */
interface _AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/** What `applyGradients` takes: a map by variable name, or a list of named tensors. */
type _Gradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/**
 * tfjs's AdamOptimizer with each weight's step as one kernel ("DigitsAdamUpdate") where the active
 * backend has it (native, wasm), instead of about 14 element-wise kernels; elsewhere (cpu,
 * webgpu) it is tfjs's own step. The state is tfjs's own (the same variables, names and
 * `getWeights()` order, class name "Adam"), so saved optimizer state moves freely between this
 * class and `tf.train.adam`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { FusedAdamOptimizer } from "./fused_adam_optimizer.ts";
 * const opt = new FusedAdamOptimizer(0.1, 0.9, 0.999);
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * opt.minimize(() => w.square().sum());
 * assert.strictEqual(opt.getClassName(), "Adam");
 * assert.ok(Math.abs(w.dataSync()[0]! - 0.9) < 1e-5);
 * opt.dispose();
 * w.dispose();
 * ```
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: _Gradients): void {
    if (!hasOptimizerUpdate(ADAM_UPDATE)) return super.applyGradients(variableGradients);
    const s = this as unknown as _AdamState;
    const list = Array.isArray(variableGradients) ? variableGradients : undefined;
    const names = list?.map((v) => v.name) ?? Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        const zeros = () => tf.tidy(() => tf.zerosLike(value).variable(false));
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeros() };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeros() };
        const gradient = list?.[i]?.tensor ??
          (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i]!.variable;
        const v = s.accumulatedSecondMoment[i]!.variable;
        const [x1, m1, v1] = tf.engine().runKernel(
          ADAM_UPDATE,
          { x: value, g: gradient, m, v, accBeta1: s.accBeta1, accBeta2: s.accBeta2 },
          { learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon },
        ) as tf.Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        value.assign(x1!);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}
