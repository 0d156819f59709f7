/**
 * Test helper (run as a subprocess by checkpoint_test.ts): saves checkpoints of a small model into
 * the folder given as the first argument, in a loop, with new weights each time, until killed.
 * Prints "saved N" after each checkpoint.
 */
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../models/create_model.ts";
import type { Manifest } from "../../models/manifest.ts";
import { saveCheckpoint } from "../../train/checkpoint.ts";

const dir = Deno.args[0]!;
await tf.setBackend("cpu");
const model = createModel("mlp", { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
const optimizer = tf.train.adam(1e-3);
model.compile({ optimizer, loss: "categoricalCrossentropy" });
await model.trainOnBatch(tf.zeros([2, 28, 28, 1]), tf.oneHot(tf.tensor1d([1, 2], "int32"), 10));
const blank = { best: null, bestEpoch: 0, wait: 0 };
for (let epoch = 1;; epoch++) {
  const next = tf.tidy(() => model.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.05)));
  model.setWeights(next);
  tf.dispose(next);
  const manifest = {
    formatVersion: 1,
    architecture: "mlp",
    inputShape: [28, 28, 1],
    pixelMax: 255,
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    config: {},
    data: { files: [], rows: 0, sha256: "" },
    metrics: { final: {}, best: {} },
    backend: { name: "cpu", reason: "test" },
    seed: 1,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "test" },
    createdAt: new Date().toISOString(),
    epochsCompleted: epoch,
  } satisfies Manifest;
  await saveCheckpoint(dir, {
    model,
    optimizer,
    manifest,
    state: {
      formatVersion: 1,
      epoch,
      step: epoch,
      scheduleEpoch: 0,
      scheduleStep: epoch,
      optimizer: "adam",
      baseLr: 1e-3,
      lr: 1e-3,
      best: blank,
      earlyStopping: blank,
      plateau: { monitor: blank, scale: 1 },
      switch: { monitor: blank, switched: false },
      interrupted: false,
      history: [],
    },
  });
  console.log(`saved ${epoch}`);
}
