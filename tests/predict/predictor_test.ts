import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Predictor } from "../../predict/predictor.ts";
import { ttaViews } from "../../predict/tta_views.ts";
import { join, makeTinyRun, mnistBatch, tempDir } from "./_tiny_run.ts";

const root = await tempDir();
const runA = await makeTinyRun(join(root, "a"), { seed: 1 });
const runB = await makeTinyRun(join(root, "b"), { seed: 2, epochs: 1 });

Deno.test("Predictor averages the softmax outputs of an ensemble's members", async () => {
  const batch = await mnistBatch(0, 50);
  const a = await Predictor.load([runA]);
  const b = await Predictor.load([runB]);
  const both = await Predictor.load([runA, runB]);
  const pa = await a.predict(batch);
  const pb = await b.predict(batch);
  const pab = await both.predict(batch);
  assert.equal(pab.length, 500);
  let differ = 0;
  for (let i = 0; i < pab.length; i++) {
    assert.ok(Math.abs(pab[i]! - (pa[i]! + pb[i]!) / 2) < 1e-5);
    if (Math.abs(pa[i]! - pb[i]!) > 1e-3) differ++;
  }
  assert.ok(differ > 0, "the two members should disagree somewhere");
  [a, b, both].forEach((p) => p.dispose());
});

Deno.test("Predictor with --tta N is the mean over N transformed views, and frees every tensor", async () => {
  const batch = await mnistBatch(0, 20);
  const plain = await Predictor.load([runA]);
  const tta = await Predictor.load([runA], { tta: 3, seed: 5 });
  const before = tf.memory().numTensors;
  const got = await tta.predict(batch);
  assert.equal(tf.memory().numTensors, before);
  const views = ttaViews(batch.x, 20, 28, 28, 3, 5);
  const expected = tf.tidy(() => {
    const outs = views.map((v) =>
      plain.models[0]!.predict(tf.tensor4d(v, [20, 28, 28, 1])) as tf.Tensor
    );
    return tf.addN(outs).div(3).dataSync();
  });
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-5);
  // View 0 is the identity, so --tta 1 equals plain prediction and TTA differs from it.
  const one = await plain.predict(batch);
  assert.ok(one.some((p, i) => Math.abs(p - got[i]!) > 1e-4));
  plain.dispose();
  tta.dispose();
});

Deno.test("ttaViews is seeded per row and moves every image of the batch a little", async () => {
  const batch = await mnistBatch(0, 4);
  const a = ttaViews(batch.x, 4, 28, 28, 3, 9);
  assert.equal(a[0], batch.x);
  assert.deepEqual(a, ttaViews(batch.x, 4, 28, 28, 3, 9));
  assert.notDeepEqual(a[1], ttaViews(batch.x, 4, 28, 28, 3, 10)[1]);
  // Row 3 gets the same view whether it comes first or third in its batch.
  const alone = ttaViews(batch.x.slice(2 * 784, 3 * 784), 1, 28, 28, 3, 9, [3]);
  const inBatch = ttaViews(batch.x, 4, 28, 28, 3, 9, [1, 2, 3, 4]);
  assert.deepEqual(alone[2], inBatch[2]!.slice(2 * 784, 3 * 784));
  for (const view of a.slice(1)) {
    for (let i = 0; i < 4; i++) {
      const img = view.subarray(i * 784, (i + 1) * 784);
      const orig = batch.x.subarray(i * 784, (i + 1) * 784);
      const ink = img.reduce((s, v) => s + v, 0);
      const ink0 = orig.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(ink - ink0) / ink0 < 0.2, `image ${i} keeps its ink (${ink} vs ${ink0})`);
      assert.ok(img.some((v, p) => Math.abs(v - orig[p]!) > 0.05), `image ${i} is moved`);
    }
  }
  assert.throws(() => ttaViews(batch.x, 4, 28, 28, 0, 1), RangeError);
});

Deno.test("Predictor rejects images whose size does not match the model", async () => {
  const p = await Predictor.load([runA]);
  assert.throws(
    () => p.assertFits(8, 8, "optdigits.csv"),
    /optdigits.csv holds 8×8 images.*expects 28×28/,
  );
  p.dispose();
});

Deno.test("Predictor.load names a missing model folder", async () => {
  await assert.rejects(
    () => Predictor.load([join(root, "nope")]),
    /model folder .*nope does not exist/,
  );
});

Deno.test("Predictor TTA transforms every image of a batch on the cpu backend too", async () => {
  const { selectBackend } = await import("../../backend/select_backend.ts");
  const batch = await mnistBatch(0, 6);
  const expected = await (await Predictor.load([runA], { tta: 3, seed: 2 })).predict(batch);
  await selectBackend("cpu");
  try {
    const cpu = await Predictor.load([runA], { tta: 3, seed: 2 });
    const got = await cpu.predict(batch);
    cpu.dispose();
    for (let i = 0; i < got.length; i++) {
      assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-4, `value ${i}`);
    }
  } finally {
    await selectBackend("wasm");
  }
});
