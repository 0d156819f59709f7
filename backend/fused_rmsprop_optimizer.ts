import * as tf from "@tensorflow/tfjs";
import { hasOptimizerUpdate, RMSPROP_UPDATE } from "./optimizer_update_kernels.ts";

type _Slot = { originalName: string; variable: tf.Variable };

/** tfjs's RMSPropOptimizer's private state (TypeScript `private`, plain fields at run time). */
interface _RmsPropState {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: _Slot[];
  accumulatedMoments: _Slot[];
  accumulatedMeanGrads: _Slot[];
}

/** What `applyGradients` takes: a map by variable name, or a list of named tensors. */
type _Gradients = Parameters<tf.RMSPropOptimizer["applyGradients"]>[0];

/**
 * tfjs's RMSPropOptimizer (plain or centered) with each weight's step as one kernel
 * ("DigitsRMSPropUpdate") where the active backend has it (native, wasm); elsewhere tfjs's own
 * step. Same state, names, `getWeights()` order and class name ("RMSProp") as
 * `tf.train.rmsprop`, so saved state moves freely between the two.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { FusedRMSPropOptimizer } from "./fused_rmsprop_optimizer.ts";
 * const opt = new FusedRMSPropOptimizer(0.01, 0.9);
 * const w = tf.variable(tf.tensor1d([1]));
 * opt.minimize(() => w.square().sum());
 * assert.ok(Math.abs(w.dataSync()[0]! - (1 - 0.02 / Math.sqrt(0.4))) < 1e-5); // g = 2, ms = 0.4
 * opt.dispose();
 * w.dispose();
 * ```
 */
export class FusedRMSPropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(variableGradients: _Gradients): void {
    if (!hasOptimizerUpdate(RMSPROP_UPDATE)) return super.applyGradients(variableGradients);
    const s = this as unknown as _RmsPropState;
    const list = Array.isArray(variableGradients) ? variableGradients : undefined;
    const names = list?.map((v) => v.name) ?? Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        const zeros = () => tf.tidy(() => tf.zerosLike(value).variable(false));
        s.accumulatedMeanSquares[i] ??= { originalName: `${name}/rms`, variable: zeros() };
        s.accumulatedMoments[i] ??= { originalName: `${name}/momentum`, variable: zeros() };
        if (s.centered) {
          s.accumulatedMeanGrads[i] ??= { originalName: `${name}/mg`, variable: zeros() };
        }
        const gradient = list?.[i]?.tensor ??
          (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const ms = s.accumulatedMeanSquares[i]!.variable;
        const mom = s.accumulatedMoments[i]!.variable;
        const mg = s.centered ? s.accumulatedMeanGrads[i]!.variable : undefined;
        const out = tf.engine().runKernel(
          RMSPROP_UPDATE,
          { x: value, g: gradient, ms, mom, ...(mg === undefined ? {} : { mg }) },
          {
            learningRate: s.learningRate,
            decay: s.decay,
            momentum: s.momentum,
            epsilon: s.epsilon,
          },
        ) as tf.Tensor[];
        ms.assign(out[1]!);
        mom.assign(out[2]!);
        mg?.assign(out[3]!);
        value.assign(out[0]!);
      });
    });
    this.incrementIterations();
  }
}
