import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "../../models/batch_normalization.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
import { selectBackend } from "../../backend/select_backend.ts";

const native = await registerNativeBackend();
await selectBackend("wasm"); // initialises wasm and registers its training kernels

/** Conv → BatchNorm → Dense with seeded weights; `fast` picks our layer or tfjs's own. */
function makeModel(fast: boolean): tf.Sequential {
  const bnArgs = { momentum: 0.8 };
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 1],
        filters: 4,
        kernelSize: 3,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      fast ? batchNormalization(bnArgs) : tf.layers.batchNormalization(bnArgs),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
}

/** Every weight (BatchNorm's moving mean and variance included) after `steps` SGD steps. */
async function trainedWeights(fast: boolean, steps: number): Promise<Float32Array[]> {
  const model = makeModel(fast);
  model.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
  const x = tf.randomUniform([16, 6, 6, 1], 0, 1, "float32", 3);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], "int32"), 3);
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const weights = await Promise.all(
    model.getWeights().map(async (w) => (await w.data()) as Float32Array),
  );
  tf.dispose([x, y]);
  model.dispose();
  return weights;
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let w = 0; w < expected.length; w++) {
    for (let i = 0; i < expected[w]!.length; i++) {
      const a = actual[w]![i]!, e = expected[w]![i]!;
      if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
        assert.fail(`weight ${w}[${i}]: fused ${a}, tfjs ${e}`);
      }
    }
  }
}

for (const backend of [{ name: "wasm", ignore: false }, { name: "native", ignore: !native.ok }]) {
  Deno.test({
    name: `batchNormalization trains like tfjs's layer on ${backend.name} (weights and moving ` +
      `statistics)`,
    ignore: backend.ignore,
    async fn() {
      await tf.setBackend(backend.name);
      const fast = await trainedWeights(true, 5);
      const stock = await trainedWeights(false, 5);
      assertClose(fast, stock, 1e-4);
      // Training moved the weights: the comparison is not between two untouched models.
      const untouched = await trainedWeights(false, 0);
      assert.ok(fast.some((w, i) => w.some((v, j) => Math.abs(v - untouched[i]![j]!) > 1e-3)));
    },
  });
}

Deno.test("batchNormalization falls back to tfjs's own path where the backend has no fused kernel", async () => {
  await tf.setBackend("cpu");
  assert.deepEqual(await trainedWeights(true, 2), await trainedWeights(false, 2));
});

Deno.test("batchNormalization saves as a plain BatchNormalization that stock tfjs loads", async () => {
  await tf.setBackend("cpu");
  const fast = makeModel(true);
  const stock = makeModel(false);
  const layerJson = (m: tf.Sequential) => {
    const layers = (m.toJSON(null, false) as { config: { layers: Record<string, unknown>[] } })
      .config.layers;
    const bn = layers[1]!;
    const config = { ...(bn.config as Record<string, unknown>), name: "bn" };
    return { class_name: bn.class_name, config };
  };
  assert.deepEqual(layerJson(fast), layerJson(stock));
  assert.equal(layerJson(fast).class_name, "BatchNormalization");

  // A save → load round trip gives the same predictions.
  let artifacts: tf.io.ModelArtifacts | undefined;
  await fast.save(tf.io.withSaveHandler((a) => {
    artifacts = a;
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  const x = tf.randomUniform([3, 6, 6, 1], 0, 1, "float32", 4);
  const a = fast.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(await b.data(), await a.data());
  tf.dispose([x, a, b]);
  fast.dispose();
  stock.dispose();
  loaded.dispose();
});
