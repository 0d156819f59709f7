import * as tf from "@tensorflow/tfjs";

/** The optimizers `--optimizer` accepts. */
export type OptimizerName = "adam" | "sgd" | "rmsprop";

/**
 * Builds a tfjs optimizer by name: Adam, SGD with momentum (plain SGD when momentum is 0) or
 * RMSprop.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createOptimizer } from "./create_optimizer.ts";
 * const opt = createOptimizer("sgd", 0.01, 0.9);
 * assert.ok(opt.getClassName() === "Momentum");
 * opt.dispose();
 * ```
 */
export function createOptimizer(name: string, lr: number, momentum: number): tf.Optimizer {
  switch (name) {
    case "adam":
      return tf.train.adam(lr);
    case "sgd":
      return momentum > 0 ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
    case "rmsprop":
      return tf.train.rmsprop(lr, 0.9, momentum > 0 ? momentum : 0);
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
