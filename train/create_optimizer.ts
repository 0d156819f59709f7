import * as tf from "@tensorflow/tfjs";
import { FusedAdamOptimizer } from "../backend/fused_adam_optimizer.ts";
import { FusedMomentumOptimizer } from "../backend/fused_momentum_optimizer.ts";
import { FusedRMSPropOptimizer } from "../backend/fused_rmsprop_optimizer.ts";

/** The optimizers `--optimizer` accepts. */
export type OptimizerName = "adam" | "sgd" | "rmsprop";

/**
 * Builds a tfjs optimizer by name: Adam, SGD with momentum (plain SGD when momentum is 0) or
 * RMSprop, with tfjs's defaults (`tf.train.adam` etc.). Adam, momentum and RMSprop are the fused
 * subclasses (backend/fused_*_optimizer.ts): one kernel per weight tensor and step on the native
 * and wasm backends, tfjs's own step elsewhere, and tfjs's own state either way (checkpoints
 * written by one resume in the other).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createOptimizer } from "./create_optimizer.ts";
 * const opt = createOptimizer("sgd", 0.01, 0.9);
 * assert.strictEqual(opt.getClassName(), "Momentum");
 * opt.dispose();
 * ```
 */
export function createOptimizer(name: string, lr: number, momentum: number): tf.Optimizer {
  switch (name) {
    case "adam":
      // tf.train.adam's defaults: β₁ 0.9, β₂ 0.999, the backend's epsilon.
      return new FusedAdamOptimizer(lr, 0.9, 0.999);
    case "sgd":
      return momentum > 0 ? new FusedMomentumOptimizer(lr, momentum) : tf.train.sgd(lr);
    case "rmsprop":
      return new FusedRMSPropOptimizer(lr, 0.9, momentum > 0 ? momentum : 0);
    default:
      throw new RangeError(`unknown optimizer '${name}': expected adam, sgd or rmsprop`);
  }
}

/**
 * Changes an optimizer's learning rate in place. tfjs exposes `setLearningRate` only on SGD; the
 * others read the `learningRate` field at every step, so setting it takes effect at the next step.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as {
    setLearningRate?: (lr: number) => void;
    learningRate: number;
  };
  if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
  else o.learningRate = lr;
}
