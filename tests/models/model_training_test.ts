import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../models/create_model.ts";
import { loadRun, saveRun } from "../../models/model_io.ts";
import type { Manifest } from "../../models/manifest.ts";

import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../../backend/wasm_kernels/register_wasm_training_kernels.ts";

// Conv training needs the project's wasm gradient kernels (backend/wasm_kernels).
registerWasmTrainingKernels();
await tf.setBackend("wasm");

/** A fixed batch: n random images with labels drawn from a seeded generator. */
function fixedBatch(side = 8, n = 32): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, side, side, 1], 0, 1, "float32", 3) as tf.Tensor4D,
    y: tf.oneHot(tf.randomUniform([n], 0, 10, "int32", 4) as tf.Tensor1D, 10) as tf.Tensor2D,
  }));
}

for (
  const name of [
    "logreg",
    "mlp",
    "tiny-cnn",
    "small-cnn",
    "simple-cnn",
    "deotte",
    "compact-cnn",
    "digits8-cnn",
    "svm",
  ]
) {
  Deno.test(`${name}: training steps lower the loss on a fixed batch`, async () => {
    const side = name === "deotte" ? 28 : 8;
    const model = createModel(name, { inputShape: [side, side, 1], numClasses: 10, seed: 5 });
    const optimizer = tf.train.adam(1e-3);
    model.compile({ optimizer, loss: "categoricalCrossentropy" });
    const { x, y } = fixedBatch(side, side === 8 ? 32 : 8);
    // Losses as trainOnBatch reports them: training mode (dropout on, BatchNorm batch statistics),
    // measured before each update.
    const first = (await model.trainOnBatch(x, y)) as number;
    let last = first;
    for (let i = 0; i < 5; i++) last = (await model.trainOnBatch(x, y)) as number;
    assert.ok(last < first, `loss went from ${first} to ${last}`);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
}

Deno.test("saveRun → loadRun gives identical predictions", async () => {
  const dir = await Deno.makeTempDir();
  const model = createModel("mlp", { inputShape: [8, 8, 1], numClasses: 10, seed: 9 });
  const manifest: Manifest = {
    formatVersion: 1,
    architecture: "mlp",
    inputShape: [8, 8, 1],
    pixelMax: 16,
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    config: {},
    data: { files: ["x.csv"], rows: 1, sha256: "0".repeat(64) },
    metrics: { final: {}, best: {} },
    backend: { name: "cpu", reason: "test" },
    seed: 9,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "test" },
    createdAt: new Date().toISOString(),
    epochsCompleted: 0,
  };
  await saveRun(dir, model, manifest);
  const loaded = await loadRun(dir);
  const { x } = fixedBatch();
  const a = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
  const b = tf.tidy(() => Array.from((loaded.models[0]!.predict(x) as tf.Tensor).dataSync()));
  assert.deepEqual(a, b);
  assert.equal(loaded.manifest.architecture, "mlp");
  x.dispose();
  model.dispose();
  loaded.models[0]!.dispose();
  await Deno.remove(dir, { recursive: true });
});
