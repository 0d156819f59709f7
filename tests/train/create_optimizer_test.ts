import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createOptimizer, setLearningRate } from "../../train/create_optimizer.ts";
import { FusedAdamOptimizer } from "../../backend/fused_adam_optimizer.ts";
import { FusedMomentumOptimizer } from "../../backend/fused_momentum_optimizer.ts";
import { FusedRMSPropOptimizer } from "../../backend/fused_rmsprop_optimizer.ts";
import { selectBackend } from "../../backend/select_backend.ts";

Deno.test("createOptimizer builds the fused optimizers under tfjs's class names", async () => {
  await selectBackend("wasm");
  const cases = [
    ["adam", 0, FusedAdamOptimizer, "Adam"],
    ["sgd", 0.9, FusedMomentumOptimizer, "Momentum"],
    ["rmsprop", 0, FusedRMSPropOptimizer, "RMSProp"],
  ] as const;
  for (const [name, momentum, cls, className] of cases) {
    const opt = createOptimizer(name, 0.01, momentum);
    assert.ok(opt instanceof cls, `${name} is ${cls.name}`);
    assert.equal(opt.getClassName(), className);
    opt.dispose();
  }
  const sgd = createOptimizer("sgd", 0.01, 0);
  assert.equal(sgd.getClassName(), "SGD");
  sgd.dispose();
  assert.throws(() => createOptimizer("adamw", 0.01, 0), /unknown optimizer 'adamw'/);
});

Deno.test("setLearningRate changes the fused optimizers' next step on wasm", async () => {
  await selectBackend("wasm");
  for (const [name, momentum] of [["adam", 0], ["sgd", 0.9], ["rmsprop", 0]] as const) {
    const moved = [];
    for (const lr of [0.01, 0.001]) {
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const opt = createOptimizer(name, 0.5, momentum);
      setLearningRate(opt, lr);
      opt.minimize(() => tf.sum(tf.square(w)))?.dispose();
      moved.push(Math.abs((await w.data())[0]! - 1));
      opt.dispose();
      w.dispose();
    }
    // Adam's and RMSprop's first steps are about lr; momentum's is lr × gradient 2.
    assert.ok(Math.abs(moved[0]! / moved[1]! - 10) < 0.01, `${name}: ${moved.join(" vs ")}`);
  }
});
