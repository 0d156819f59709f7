import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { applyTemperature } from "../../common/apply_temperature.ts";
import { meanSoftmax } from "../../predict/mean_softmax.ts";
import { Predictor } from "../../predict/predictor.ts";
import { join, makeTinyRun, mnistSlice, tempDir } from "./_tiny_run.ts";

await selectBackend("wasm");

/** A model whose softmax output is softmax(x) of a 1×k input. */
function softmaxModel(k: number): tf.LayersModel {
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [1, k, 1] }), tf.layers.softmax()],
  });
}

Deno.test("meanSoftmax calibrates each model with its own temperature before averaging", async () => {
  const model = softmaxModel(3);
  const x = tf.tensor4d([0, 1, 3, 2, 0, 1], [2, 1, 3, 1]);
  const raw = await tf.tidy(() => meanSoftmax([model], [x])).data();
  const both = tf.tidy(() => meanSoftmax([model, model], [x], [2, 0.5]));
  const expected = Float32Array.from(
    applyTemperature(raw, 3, 2),
    (p, i) => (p + applyTemperature(raw, 3, 0.5)[i]!) / 2,
  );
  (await both.data()).forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `${i}`));
  const same = await tf.tidy(() => meanSoftmax([model], [x], [1])).data();
  assert.deepEqual([...same], [...raw], "T = 1 is the raw output, bit for bit");
  assert.throws(() => meanSoftmax([model], [x], [1, 2]), /2 temperatures for 1 models/);
  assert.throws(() => tf.tidy(() => meanSoftmax([model], [x], [0])), /positive number/);
  tf.dispose([x, both]);
  model.dispose();
});

Deno.test("meanSoftmax applies the temperature per TTA view, before the views are averaged", async () => {
  const model = softmaxModel(2);
  const views = [tf.tensor4d([0, 2], [1, 1, 2, 1]), tf.tensor4d([1, 0], [1, 1, 2, 1])];
  const out = await tf.tidy(() => meanSoftmax([model], views, [3])).data();
  const perView = await Promise.all(
    views.map(async (v) =>
      applyTemperature(await tf.tidy(() => model.predict(v) as tf.Tensor).data(), 2, 3)
    ),
  );
  [0, 1].forEach((k) =>
    assert.ok(Math.abs(out[k]! - (perView[0]![k]! + perView[1]![k]!) / 2) < 1e-6)
  );
  tf.dispose(views);
  model.dispose();
});

Deno.test("Predictor of a run saved without calibration gives the raw softmax, as before", async () => {
  const dir = await makeTinyRun(join(await tempDir(), "old"));
  const predictor = await Predictor.load([dir], { keepUncalibrated: true });
  const { pixels, labels } = await mnistSlice(0, 4);
  const batch = {
    x: Float32Array.from(pixels, (p) => p / 255),
    y: Int32Array.from(labels),
    size: 4,
    height: 28,
    width: 28,
  };
  try {
    assert.deepEqual(predictor.temperatures, [1]);
    assert.equal(predictor.calibrated, false);
    for await (const p of predictor.predictStream(ReadableStream.from([batch]))) {
      assert.equal(p.uncalibrated, p.probs, "no second pass for an uncalibrated model");
      const expected = tf.tidy(() =>
        (predictor.models[0]!.predict(tf.tensor4d(batch.x, [4, 28, 28, 1])) as tf.Tensor)
          .dataSync()
      );
      assert.deepEqual([...p.probs], [...expected]);
    }
  } finally {
    predictor.dispose();
  }
});
