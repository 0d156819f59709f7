import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { FusedAdamOptimizer } from "../../backend/fused_adam_optimizer.ts";
import { ADAM_UPDATE } from "../../backend/optimizer_update_kernels.ts";
import { _BACKENDS, _parityTests, _use } from "./_optimizer_parity.ts";

// A large epsilon, so that its placement shows in the weights.
_parityTests(
  "FusedAdamOptimizer",
  "adam",
  ADAM_UPDATE,
  () => new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-3),
  () => tf.train.adam(0.01, 0.9, 0.999, 1e-3),
);

/** Loss per epoch of a small conv + batch norm + dense model trained with `opt` (fixed init). */
async function _fitLosses(opt: tf.Optimizer): Promise<number[]> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: opt, loss: "categoricalCrossentropy" });
  const x = tf.tensor4d(Array.from({ length: 32 * 64 }, (_, i) => Math.sin(i * 0.37)), [
    32,
    8,
    8,
    1,
  ]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), "int32"), 3);
  const h = await model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  model.dispose();
  opt.dispose();
  return h.history.loss as number[];
}

for (const backend of _BACKENDS) {
  Deno.test({
    // Regression: updating weights in place on wasm left XNNPACK's cached packed weights stale.
    name:
      `FusedAdamOptimizer trains a tfjs-layers conv net on ${backend.name} as tf.train.adam does`,
    ignore: backend.ignore,
    async fn() {
      await _use(backend.name);
      const fused = await _fitLosses(new FusedAdamOptimizer(0.01, 0.9, 0.999));
      const stock = await _fitLosses(tf.train.adam(0.01, 0.9, 0.999));
      fused.forEach((l, i) =>
        assert.ok(Math.abs(l - stock[i]!) < 1e-4, `epoch ${i}: ${l} vs ${stock[i]}`)
      );
    },
  });
}
