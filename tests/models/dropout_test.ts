import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { dropout } from "../../models/dropout.ts";
import { createModel } from "../../models/create_model.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";

const native = await registerNativeBackend();

/** Applies `layer` in training mode (as model.fit does) or inference mode. */
function apply(layer: tf.layers.Layer, x: tf.Tensor, training: boolean): tf.Tensor {
  return layer.apply(x, { training }) as tf.Tensor;
}

Deno.test("dropout saves exactly like tf.layers.dropout (class name and config)", () => {
  const strip = (l: tf.layers.Layer) => ({ ...l.getConfig(), name: "d" });
  for (const args of [{ rate: 0.4 }, { rate: 0.2, noiseShape: [1, 5] }]) {
    const ours = dropout(args, 9);
    const stock = tf.layers.dropout(args);
    assert.equal(ours.getClassName(), "Dropout");
    assert.deepEqual(strip(ours), strip(stock));
  }
});

for (const backend of [{ name: "cpu", ignore: false }, { name: "native", ignore: !native.ok }]) {
  Deno.test({
    name: `dropout in training on ${backend.name}: y = x·mask, masks move on, gradient = mask`,
    ignore: backend.ignore,
    async fn() {
      await tf.setBackend(backend.name);
      const before = tf.memory().numTensors;
      const layer = dropout({ rate: 0.4 }, 21);
      const values = (t: tf.Tensor) => Float32Array.from(t.dataSync());
      const r = tf.tidy(() => {
        const x = tf.randomUniform([4, 6, 6, 8], 0.5, 1.5, "float32", 2);
        const y1 = apply(layer, x, true);
        const grad = tf.grad((xs: tf.Tensor) => apply(dropout({ rate: 0.4 }, 21), xs, true).sum());
        return {
          x: values(x),
          ratio: values(tf.div(y1, x)),
          y1: values(y1),
          y2: values(apply(layer, x, true)),
          replay: values(apply(dropout({ rate: 0.4 }, 21), x, true)),
          inference: values(apply(layer, x, false)),
          gradient: values(grad(x)),
        };
      });
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      const kept = r.ratio.filter((v) => v !== 0);
      assert.ok(kept.every((v) => Math.abs(v - 1 / 0.6) < 1e-5), "kept units scaled by 1/0.6");
      assert.ok(Math.abs(kept.length / r.ratio.length - 0.6) < 0.08, `kept ${kept.length}`);
      assert.notDeepEqual(r.y2, r.y1, "a new mask at every call");
      assert.deepEqual(r.replay, r.y1, "the same seed replays the same masks");
      assert.deepEqual(r.inference, r.x, "inference leaves x unchanged");
      // The gradient is the mask that was applied (the same seed's first mask).
      const mask = Float32Array.from(r.ratio, (v) => v === 0 ? 0 : Math.fround(1 / 0.6));
      assert.deepEqual(r.gradient, mask);
    },
  });
}

Deno.test("a model with Dropout trains reproducibly for a seed, and differently for another", async () => {
  await tf.setBackend(native.ok ? "native" : "cpu");
  const run = async (seed: number) => {
    const model = createModel("mlp", { inputShape: [8, 8, 1], numClasses: 3, seed });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
    const x = tf.randomUniform([16, 8, 8, 1], 0, 1, "float32", 5);
    const y = tf.oneHot(tf.tensor1d([...Array(16).keys()].map((i) => i % 3), "int32"), 3);
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) losses.push(await model.trainOnBatch(x, y) as number);
    tf.dispose([x, y]);
    model.dispose();
    return losses;
  };
  const a = await run(4);
  assert.deepEqual(await run(4), a);
  assert.notDeepEqual(await run(5), a);
});
