import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createSimple5x5Cnn, SIMPLE_5X5_FILTERS } from "../../models/simple_5x5_cnn.ts";

await tf.setBackend("cpu");

/** The parameter count of M5 from its layer sizes, by hand (BatchNorm: γ, β, moving mean, var). */
function expectedParams(side: number, classes: number): number {
  let params = 0, channels = 1;
  for (const filters of SIMPLE_5X5_FILTERS) {
    params += 5 * 5 * channels * filters; // conv kernel, no bias
    params += 4 * filters; // BatchNorm
    channels = filters;
    side -= 4;
  }
  params += side * side * channels * classes; // dense, no bias
  params += 4 * classes; // BatchNorm on the 10 outputs
  return params;
}

Deno.test("createSimple5x5Cnn has M5's shapes and parameter count on 28×28", () => {
  const before = tf.memory().numTensors;
  const model = createSimple5x5Cnn({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  assert.equal(model.countParams(), expectedParams(28, 10));
  // The same layers in PyTorch 1.13 (bias-free Conv2d/Linear, BatchNorm2d/1d): 1,128,180
  // parameters plus 980 BatchNorm running statistics, which tfjs counts as parameters too.
  assert.equal(model.countParams(), 1_128_180 + 980);
  const convShapes = model.layers
    .filter((l) => l.getClassName() === "Conv2D")
    .map((l) => (l.outputShape as number[]).slice(1));
  assert.deepEqual(convShapes, [[24, 24, 32], [20, 20, 64], [16, 16, 96], [12, 12, 128], [
    8,
    8,
    160,
  ]]);
  const probs = tf.tidy(() => model.predict(tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 2)));
  assert.deepEqual((probs as tf.Tensor).shape, [3, 10]);
  const sums = tf.tidy(() => (probs as tf.Tensor).sum(1).arraySync() as number[]);
  sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
  tf.dispose(probs);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("createSimple5x5Cnn follows the number of classes and refuses images under 21×21", () => {
  const model = createSimple5x5Cnn({ inputShape: [21, 21, 1], numClasses: 3, seed: 1 });
  assert.deepEqual(model.outputs[0]!.shape, [null, 3]);
  assert.equal(model.countParams(), expectedParams(21, 3));
  model.dispose();
  assert.throws(
    () => createSimple5x5Cnn({ inputShape: [20, 20, 1], numClasses: 10 }),
    /'simple-5x5' needs images of at least 21×21 pixels, but the data has 20×20/,
  );
});
