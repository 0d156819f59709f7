import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createSvm, SVM_SCORES_LAYER, svmScoresModel } from "../../models/svm.ts";
import { loadRun, saveRun } from "../../models/model_io.ts";
import { categoricalHingeLoss } from "../../train/categorical_hinge_loss.ts";
import { mnistSlice, tempDir, tinyManifest } from "../predict/_tiny_run.ts";

await tf.setBackend("cpu");

async function mnist(start: number, count: number, set: "train" | "t10k") {
  const { pixels, labels } = await mnistSlice(start, count, set);
  return tf.tidy(() => ({
    x: tf.tensor4d(pixels, [count, 28, 28, 1], "float32").div(255) as tf.Tensor4D,
    y: tf.oneHot(tf.tensor1d(labels, "int32"), 10) as tf.Tensor2D,
    labels: Array.from(labels),
  }));
}

Deno.test("svm trains on its scores with the hinge loss and round-trips through saveRun/loadRun", async () => {
  const train = await mnist(0, 1000, "train");
  const test = await mnist(0, 300, "t10k");
  const model = createSvm({ inputShape: [28, 28, 1], numClasses: 10, seed: 3 });
  const scores = svmScoresModel(model);
  const optimizer = tf.train.adam(1e-3);
  scores.compile({ optimizer, loss: categoricalHingeLoss, metrics: ["accuracy"] });
  const history = await scores.fit(train.x, train.y, { epochs: 8, batchSize: 50, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses.at(-1)! < losses[0]! / 2, `hinge loss went ${losses[0]} → ${losses.at(-1)}`);

  // The saved model's output: a distribution with the scores' argmax.
  const [probs, raw] = tf.tidy(() => [
    (model.predict(test.x) as tf.Tensor).arraySync() as number[][],
    (scores.predict(test.x) as tf.Tensor).arraySync() as number[][],
  ]);
  const argmax = (row: number[]) => row.indexOf(Math.max(...row));
  probs!.forEach((p, i) => {
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(argmax(p), argmax(raw![i]!));
  });
  const acc = probs!.filter((p, i) => argmax(p) === test.labels[i]).length / test.labels.length;
  assert.ok(acc > 0.8, `test accuracy ${acc}`);

  const dir = await tempDir();
  await saveRun(dir, model, tinyManifest("svm"));
  const loaded = await loadRun(dir);
  const again = tf.tidy(() => (loaded.models[0]!.predict(test.x) as tf.Tensor).arraySync());
  assert.deepEqual(again, probs);
  // A loaded svm can be trained on (resume): its scores layer is still there.
  assert.equal(svmScoresModel(loaded.models[0]!).outputs[0]!.shape[1], 10);
  assert.ok(loaded.models[0]!.getLayer(SVM_SCORES_LAYER));
  loaded.models[0]!.dispose();
  model.dispose();
  optimizer.dispose();
  tf.dispose([train.x, train.y, test.x, test.y]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("svmScoresModel names the missing layer of a model that is not an svm", () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  assert.throws(() => svmScoresModel(model), /has no layer 'svm_scores': it is not an svm model/);
  model.dispose();
});
