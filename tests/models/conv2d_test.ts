import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { conv2d } from "../../models/conv2d.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
import { CONV2D_BIAS_RELU } from "../../backend/conv2d_bias_relu.ts";

const native = await registerNativeBackend();

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

/** ReLU conv (stride 2, same) → ReLU conv (valid) → linear conv → Dense, seeded weights. */
function makeModel(fast: boolean): tf.Sequential {
  const layer = (args: ConvArgs) => fast ? conv2d(args) : tf.layers.conv2d(args);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      layer({
        inputShape: [9, 9, 2],
        filters: 5,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        kernelInitializer: init(1),
        biasInitializer: tf.initializers.constant({ value: 0.05 }),
      }),
      layer({ filters: 4, kernelSize: 2, activation: "relu", kernelInitializer: init(2) }),
      layer({ filters: 3, kernelSize: 1, kernelInitializer: init(3) }), // no ReLU: tfjs's path
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(4) }),
    ],
  });
}

/** Every weight after `steps` SGD steps. */
async function trainedWeights(fast: boolean, steps: number): Promise<Float32Array[]> {
  const model = makeModel(fast);
  model.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
  const x = tf.randomUniform([7, 9, 9, 2], -1, 1, "float32", 3);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0], "int32"), 3);
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const weights = await Promise.all(
    model.getWeights().map(async (w) => (await w.data()) as Float32Array),
  );
  tf.dispose([x, y]);
  model.dispose();
  return weights;
}

Deno.test({
  name: "conv2d trains like tfjs's Conv2D on native, through the fused kernel",
  ignore: !native.ok,
  async fn() {
    await tf.setBackend("native");
    let fusedCalls = 0;
    const k = tf.getKernel(CONV2D_BIAS_RELU, "native")!;
    tf.unregisterKernel(CONV2D_BIAS_RELU, "native");
    tf.registerKernel({ ...k, kernelFunc: (a) => (fusedCalls++, k.kernelFunc(a)) });
    let fast: Float32Array[];
    try {
      fast = await trainedWeights(true, 4);
    } finally {
      tf.unregisterKernel(CONV2D_BIAS_RELU, "native");
      tf.registerKernel(k);
    }
    assert.equal(fusedCalls, 4 * 2, "two ReLU layers × four steps");
    const stock = await trainedWeights(false, 4);
    const untouched = await trainedWeights(false, 0);
    assert.equal(fast.length, stock.length);
    for (let w = 0; w < stock.length; w++) {
      for (let i = 0; i < stock[w]!.length; i++) {
        const a = fast[w]![i]!, e = stock[w]![i]!;
        if (!(Math.abs(a - e) <= 1e-4 * Math.max(1, Math.abs(e)))) {
          assert.fail(`weight ${w}[${i}]: fused ${a}, tfjs ${e}`);
        }
      }
    }
    // Training moved the weights: the comparison is not between two untouched models.
    assert.ok(fast.some((w, i) => w.some((v, j) => Math.abs(v - untouched[i]![j]!) > 1e-3)));
  },
});

Deno.test("conv2d keeps tfjs's own path where the backend has no fused kernel (cpu)", async () => {
  await tf.setBackend("cpu");
  assert.deepEqual(await trainedWeights(true, 2), await trainedWeights(false, 2));
});

Deno.test("conv2d saves as a plain Conv2D that stock tfjs loads, with the same predictions", async () => {
  await tf.setBackend("cpu");
  const fast = makeModel(true);
  const stock = makeModel(false);
  const layersJson = (m: tf.Sequential) =>
    (m.toJSON(null, false) as { config: { layers: { class_name: string; config: object }[] } })
      .config.layers.slice(0, 3).map((l, i) => ({
        class_name: l.class_name,
        config: { ...l.config, name: `conv${i}` },
      }));
  assert.deepEqual(layersJson(fast), layersJson(stock));
  assert.equal(layersJson(fast)[0]!.class_name, "Conv2D");

  let artifacts: tf.io.ModelArtifacts | undefined;
  await fast.save(tf.io.withSaveHandler((a) => {
    artifacts = a;
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  const x = tf.randomUniform([3, 9, 9, 2], -1, 1, "float32", 4);
  const a = fast.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(await b.data(), await a.data());
  tf.dispose([x, a, b]);
  fast.dispose();
  stock.dispose();
  loaded.dispose();
});
