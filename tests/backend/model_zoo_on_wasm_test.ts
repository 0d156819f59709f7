import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { MODEL_ZOO } from "../../models/model_zoo.ts";

Deno.test("every model-zoo model trains a step on wasm (all layer gradients registered)", async () => {
  await selectBackend("wasm");
  for (const [name, entry] of Object.entries(MODEL_ZOO)) {
    if (name === "wide-cnn") continue; // same layer types as kaggle-cnn, 30× the FLOPs
    if (entry.training === "fit") continue; // knn stores rows: no gradient steps
    const size = Math.max(28, entry.minInputSize);
    const model = entry.factory({ inputShape: [size, size, 1], numClasses: 10, seed: 3 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    const x = tf.randomUniform([4, size, size, 1]);
    const y = tf.oneHot(tf.tensor1d([1, 3, 5, 7], "int32"), 10);
    const before = tf.memory().numTensors;
    const loss = await model.trainOnBatch(x, y) as number;
    await model.trainOnBatch(x, y);
    const afterTwo = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    assert.ok(Number.isFinite(loss), `${name}: loss ${loss}`);
    assert.ok(before > 0);
    assert.equal(tf.memory().numTensors, afterTwo, `${name}: tensors leak per step`);
    tf.dispose([x, y]);
    model.dispose();
  }
});
