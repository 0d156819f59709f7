import * as tf from "@tensorflow/tfjs";
import { hasOptimizerUpdate, MOMENTUM_UPDATE } from "./optimizer_update_kernels.ts";

/** tfjs's MomentumOptimizer's private state (TypeScript `private`, plain fields at run time). */
interface _MomentumState {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  accumulations: { originalName: string; variable: tf.Variable }[];
}

/** What `applyGradients` takes: a map by variable name, or a list of named tensors. */
type _Gradients = Parameters<tf.MomentumOptimizer["applyGradients"]>[0];

/**
 * tfjs's MomentumOptimizer with each weight's step as one kernel ("DigitsMomentumUpdate") where
 * the active backend has it (native, wasm); elsewhere tfjs's own step. Same state, names,
 * `getWeights()` order and class name ("Momentum") as `tf.train.momentum`, so saved state moves
 * freely between the two; `setLearningRate` and `setMomentum` work as there.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { FusedMomentumOptimizer } from "./fused_momentum_optimizer.ts";
 * const opt = new FusedMomentumOptimizer(0.1, 0.9);
 * const w = tf.variable(tf.tensor1d([1]));
 * opt.minimize(() => w.square().sum()); // gradient 2: w = 1 − 0.1·2
 * assert.ok(Math.abs(w.dataSync()[0]! - 0.8) < 1e-6);
 * opt.dispose();
 * w.dispose();
 * ```
 */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: _Gradients): void {
    if (!hasOptimizerUpdate(MOMENTUM_UPDATE)) return super.applyGradients(variableGradients);
    const s = this as unknown as _MomentumState;
    const list = Array.isArray(variableGradients) ? variableGradients : undefined;
    const names = list?.map((v) => v.name) ?? Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        s.accumulations[i] ??= {
          originalName: `${name}/momentum`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = list?.[i]?.tensor ??
          (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const acc = s.accumulations[i]!.variable;
        const [x1, acc1] = tf.engine().runKernel(
          MOMENTUM_UPDATE,
          { x: value, g: gradient, acc },
          { learningRate: s.learningRate, momentum: s.momentum, useNesterov: s.useNesterov },
        ) as tf.Tensor[];
        acc.assign(acc1!);
        value.assign(x1!);
      });
    });
    this.incrementIterations();
  }

  /** Frees the state, and the learning-rate scalar that tfjs's own `dispose` leaves behind. */
  override dispose(): void {
    super.dispose();
    (this as unknown as { c: tf.Scalar }).c.dispose();
  }
}
