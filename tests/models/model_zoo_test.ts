import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MODEL_ZOO } from "../../models/model_zoo.ts";
import { createModel, resolveModelName } from "../../models/create_model.ts";
import { listModels, summarizeModel } from "../../models/list_models.ts";

import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../../backend/wasm_kernels/register_wasm_training_kernels.ts";

// Conv training needs the project's wasm gradient kernels (backend/wasm_kernels).
registerWasmTrainingKernels();
await tf.setBackend("wasm");

/** Parameter counts for 10 classes, checked against the architectures in the issue. */
const PARAMS: Record<string, { large: number; small: number | null; min?: number }> = {
  "kaggle-cnn": { large: 2_686_858, small: 1_638_282 },
  "wide-cnn": { large: 6_101_642, small: 6_044_042 },
  "simple-cnn": { large: 887_530, small: 150_250 },
  "small-cnn": { large: 501_354, small: 132_714 },
  "tiny-cnn": { large: 168_330, small: 102_794 },
  "deotte": { large: 327_242, small: null },
  "compact-cnn": { large: 98_890, small: 33_354 },
  "logreg": { large: 7_850, small: 650 },
  "mlp": { large: 235_146, small: 50_826 },
  // simple-5x5 and knn are checked layer by layer in their own tests.
  "simple-5x5": { large: 1_129_160, small: null, min: 21 },
  "svm": { large: 7_850, small: 650 },
  "digits8-cnn": { large: 431_402, small: 62_762 },
  "knn": { large: 784 * 10_000 + 10_000 + 10_000 * 10, small: 64 * 10_000 + 10_000 + 100_000 },
};

Deno.test("MODEL_ZOO lists the models of the issue and the compact default", () => {
  assert.deepEqual(Object.keys(MODEL_ZOO).sort(), Object.keys(PARAMS).sort());
});

for (const [name, expected] of Object.entries(PARAMS)) {
  Deno.test(`${name} has the expected output shape and parameter count on 28×28 and 8×8`, () => {
    const before = tf.memory().numTensors;
    const large = createModel(name, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    assert.deepEqual(large.outputs[0]!.shape, [null, 10]);
    assert.equal(large.countParams(), expected.large);
    const probs = tf.tidy(() => large.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor);
    assert.deepEqual(probs.shape, [2, 10]);
    const sums = tf.tidy(() => probs.sum(1).arraySync() as number[]);
    sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-4, `softmax sums to ${s}`));
    probs.dispose();
    large.dispose();
    if (expected.small === null) {
      assert.throws(
        () => createModel(name, { inputShape: [8, 8, 1], numClasses: 10 }),
        new RegExp(
          `needs images of at least ${expected.min ?? 25}×${
            expected.min ?? 25
          } pixels, but the data has 8×8; use --model tiny-cnn`,
        ),
      );
    } else {
      const small = createModel(name, { inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
      assert.equal(small.countParams(), expected.small);
      small.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("createModel adapts to the number of classes", () => {
  const model = createModel("mlp", { inputShape: [8, 8, 1], numClasses: 3 });
  assert.deepEqual(model.outputs[0]!.shape, [null, 3]);
  model.dispose();
});

Deno.test("createModel rejects an unknown name by listing the zoo", () => {
  assert.throws(
    () => createModel("resnet", { inputShape: [28, 28, 1], numClasses: 10 }),
    /unknown model 'resnet': expected auto or one of kaggle-cnn, wide-cnn/,
  );
});

Deno.test("resolveModelName picks a small-image model for 8×8 and the MNIST default for 28×28", () => {
  assert.equal(resolveModelName("auto", [8, 8, 1]), "digits8-cnn");
  assert.equal(resolveModelName("auto", [28, 28, 1]), "compact-cnn");
  assert.equal(resolveModelName("mlp", [28, 28, 1]), "mlp");
});

Deno.test("the same seed gives the same initial weights, another seed different ones", () => {
  const weightsOf = (seed: number) => {
    const m = createModel("tiny-cnn", { inputShape: [8, 8, 1], numClasses: 10, seed });
    const values = m.getWeights().map((w) => Array.from(w.dataSync()));
    m.dispose();
    return values;
  };
  const a = weightsOf(7), b = weightsOf(7), c = weightsOf(8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], c[0]);
  // Two layers never share a seed: the first two kernels differ in their first values.
  assert.notEqual(a[0]![0], a[2]![0]);
});

Deno.test("listModels prints every model with its parameter count", async () => {
  const table = await listModels();
  for (const [name, expected] of Object.entries(PARAMS)) {
    assert.match(table, new RegExp(`${name}\\s+${expected.large.toLocaleString("en-US")}\\s`));
  }
});

Deno.test("summarizeModel prints a model's layers and totals like Keras' summary()", async () => {
  const text = await summarizeModel("compact-cnn");
  assert.match(text, /^compact-cnn for 28×28×1 inputs:/);
  assert.match(text, /\[null,3,3,64\]/);
  assert.match(text, /Total params: 98890/);
  await assert.rejects(() => summarizeModel("deotte", [8, 8, 1]), /use --model tiny-cnn/);
});
