import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createKnn, KNN_LAYERS } from "../../models/knn.ts";
import { storeKnnRows } from "../../models/store_knn_rows.ts";

await tf.setBackend("cpu");

Deno.test("createKnn predicts the uniform distribution before it is fitted", () => {
  const model = createKnn({ inputShape: [2, 2, 1], numClasses: 4, rows: 3 });
  const p = tf.tidy(() => (model.predict(tf.ones([2, 2, 2, 1])) as tf.Tensor).arraySync());
  assert.deepEqual(p, [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]);
  assert.equal(model.trainableWeights.length, 0);
  model.dispose();
});

Deno.test("storeKnnRows gives the exp(−d²/τ)-weighted vote of the stored rows", () => {
  const rows = [[0, 0], [1, 0], [0, 2], [3, 3]];
  const labels = [0, 1, 1, 2];
  const tau = 0.7;
  const model = createKnn({ inputShape: [1, 2, 1], numClasses: 3, rows: rows.length });
  storeKnnRows(model, {
    x: new Float32Array(rows.flat()),
    labels: new Int32Array(labels),
    temperature: tau,
  });
  const query = [0.4, 0.9];
  // By hand: squared distances, weights, per-class sums, normalised.
  const w = rows.map(([a, b]) => Math.exp(-((query[0]! - a!) ** 2 + (query[1]! - b!) ** 2) / tau));
  const total = w.reduce((s, v) => s + v, 0);
  const expected = [0, 1, 2].map((c) =>
    w.filter((_, i) => labels[i] === c).reduce((s, v) => s + v, 0) / total
  );
  const before = tf.memory().numTensors;
  const got = tf.tidy(() =>
    Array.from((model.predict(tf.tensor4d(query, [1, 1, 2, 1])) as tf.Tensor).dataSync())
  );
  assert.equal(tf.memory().numTensors, before);
  got.forEach((g, c) => assert.ok(Math.abs(g - expected[c]!) < 1e-5, `class ${c}: ${g}`));
  // The similarity layer holds 2t/τ as its kernel and −‖t‖²/τ as its bias.
  const [kernel, bias] = model.getLayer(KNN_LAYERS.similarity).getWeights();
  assert.deepEqual(kernel!.shape, [2, rows.length]);
  // kernel[pixel 1][row 2] = 2 · 2 / τ
  assert.ok(Math.abs((kernel!.arraySync() as number[][])[1]![2]! - (2 * 2) / tau) < 1e-5);
  Array.from(bias!.dataSync()).forEach((v, i) => {
    const [a, b] = rows[i]!;
    assert.ok(Math.abs(v + (a! ** 2 + b! ** 2) / tau) < 1e-4, `bias ${i}: ${v}`);
  });
  model.dispose();
});

Deno.test("storeKnnRows rejects rows that do not fit the model and bad labels", () => {
  const model = createKnn({ inputShape: [1, 2, 1], numClasses: 2, rows: 2 });
  assert.throws(
    () =>
      storeKnnRows(model, {
        x: new Float32Array(6),
        labels: new Int32Array(3),
        temperature: 1,
      }),
    /stores 2 rows of 2 pixels, got 3 labels and 6 pixel values/,
  );
  assert.throws(
    () =>
      storeKnnRows(model, {
        x: new Float32Array(4),
        labels: new Int32Array([0, 5]),
        temperature: 1,
      }),
    /row 1 has label 5, outside the model's 0..1/,
  );
  assert.throws(
    () =>
      storeKnnRows(model, { x: new Float32Array(4), labels: new Int32Array(2), temperature: 0 }),
    /temperature must be a positive number, got 0/,
  );
  model.dispose();
});
