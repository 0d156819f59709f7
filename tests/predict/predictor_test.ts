import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Predictor } from "../../predict/predictor.ts";
import { ttaTransforms } from "../../predict/tta_transforms.ts";
import type { Batch } from "../../pipeline/types.ts";
import { join, makeTinyRun, mnistSlice, tempDir } from "./_tiny_run.ts";

async function batchOf(start: number, count: number): Promise<Batch> {
  const { pixels, labels } = await mnistSlice(start, count);
  return {
    x: Float32Array.from(pixels, (p) => p / 255),
    y: Int32Array.from(labels),
    size: count,
    height: 28,
    width: 28,
  };
}

const root = await tempDir();
const runA = await makeTinyRun(join(root, "a"), { seed: 1 });
const runB = await makeTinyRun(join(root, "b"), { seed: 2, epochs: 1 });

Deno.test("Predictor averages the softmax outputs of an ensemble's members", async () => {
  const batch = await batchOf(0, 50);
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
  const batch = await batchOf(0, 20);
  const plain = await Predictor.load([runA]);
  const tta = await Predictor.load([runA], { tta: 3, seed: 5 });
  const before = tf.memory().numTensors;
  const got = await tta.predict(batch);
  assert.equal(tf.memory().numTensors, before);
  const views = ttaTransforms(3, 28, 28, 5);
  const expected = tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [20, 28, 28, 1]);
    const outs = views.map((v) =>
      plain.models[0]!.predict(
        tf.image.transform(x, tf.tensor2d(v, [1, 8]), "bilinear", "constant", 0),
      ) as tf.Tensor
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

Deno.test("ttaTransforms is seeded and a shift moves an image's centre of mass by the shift", () => {
  assert.deepEqual(ttaTransforms(4, 28, 28, 9), ttaTransforms(4, 28, 28, 9));
  assert.notDeepEqual(ttaTransforms(4, 28, 28, 9), ttaTransforms(4, 28, 28, 10));
  assert.throws(() => ttaTransforms(0, 28, 28, 1), RangeError);
  const [, view] = ttaTransforms(2, 28, 28, 3, { maxRotationDegrees: 0, maxShift: 2 });
  const image = new Float32Array(28 * 28);
  for (let y = 10; y < 18; y++) for (let x = 11; x < 17; x++) image[y * 28 + x] = 1;
  const moved = tf.tidy(() =>
    tf.image.transform(tf.tensor4d(image, [1, 28, 28, 1]), tf.tensor2d(view!, [1, 8]), "bilinear")
      .dataSync()
  );
  const com = (img: ArrayLike<number>) => {
    let sx = 0, sy = 0, s = 0;
    for (let i = 0; i < 784; i++) {
      [sx, sy, s] = [sx + (i % 28) * img[i]!, sy + Math.floor(i / 28) * img[i]!, s + img[i]!];
    }
    return [sx / s, sy / s];
  };
  const [x0, y0] = com(image);
  const [x1, y1] = com(moved);
  // transform maps output p to input p - d, so the content moves by +d = -(view[2], view[5]).
  assert.ok(Math.abs(x1! - x0! + view![2]!) < 0.05, `${x1} vs ${x0} - ${view![2]}`);
  assert.ok(Math.abs(y1! - y0! + view![5]!) < 0.05);
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
