import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../models/create_model.ts";
import { inferenceLayers } from "../../models/inference_layers.ts";
import { batchNormalization } from "../../models/batch_normalization.ts";

await tf.setBackend("cpu");

Deno.test("inferenceLayers lists compact-cnn's layers with their own weights", () => {
  const model = createModel("compact-cnn", { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  const layers = inferenceLayers(model);
  assert.ok(typeof layers !== "string", String(layers));
  assert.deepEqual(layers.map((l) => l.kind), [
    ...["conv2d", "maxPool", "batchNorm", "conv2d", "maxPool", "batchNorm"],
    ...["conv2d", "maxPool", "batchNorm", "flatten", "dense", "dense"],
  ]);
  const conv = layers[3]!;
  assert.ok(conv.kind === "conv2d");
  assert.deepEqual(conv.filterShape, [3, 3, 16, 32]);
  assert.deepEqual([conv.padding, conv.activation, conv.strides], ["same", "relu", [1, 1]]);
  assert.deepEqual(conv.filter, Float32Array.from(model.layers[3]!.getWeights()[0]!.dataSync()));
  const out = layers[11]!;
  assert.ok(out.kind === "dense");
  assert.deepEqual([out.units, out.activation], [10, "softmax"]);
  model.dispose();
});

Deno.test("inferenceLayers maps batch norm's weights by name, with defaults for no scale or center", () => {
  const bn = batchNormalization({ inputShape: [2, 2, 3], epsilon: 0.01, scale: false });
  const model = tf.sequential({ layers: [bn] });
  const byName = (part: string) =>
    Float32Array.from(bn.weights.find((w) => w.name.includes(part))!.read().dataSync());
  bn.setWeights(bn.getWeights().map((w, i) => tf.fill(w.shape, i + 2)));
  const [layer] = inferenceLayers(model) as Exclude<ReturnType<typeof inferenceLayers>, string>;
  assert.ok(layer?.kind === "batchNorm");
  assert.deepEqual(layer.gamma, Float32Array.from([1, 1, 1]));
  assert.deepEqual(layer.beta, byName("beta"));
  assert.deepEqual(layer.mean, byName("moving_mean"));
  assert.deepEqual(layer.variance, byName("moving_variance"));
  assert.equal(layer.epsilon, 0.01);
  model.dispose();
});

Deno.test("inferenceLayers leaves dropout and linear activations out", () => {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1] }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.activation({ activation: "linear" }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 2, useBias: false }),
      tf.layers.softmax(),
    ],
  });
  const layers = inferenceLayers(model);
  assert.ok(typeof layers !== "string", String(layers));
  assert.deepEqual(layers.map((l) => l.kind), ["flatten", "activation", "dense", "activation"]);
  assert.ok(layers[2]!.kind === "dense" && layers[2]!.bias === undefined);
  model.dispose();
});

Deno.test("inferenceLayers says which layer it cannot plan, and refuses non-chains", () => {
  const tanh = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: "tanh" })],
  });
  assert.match(String(inferenceLayers(tanh)), /layer dense_Dense\d+ \(Dense\): activation tanh/);
  const pool = tf.sequential({ layers: [tf.layers.averagePooling2d({ inputShape: [4, 4, 1] })] });
  assert.match(String(inferenceLayers(pool)), /\(AveragePooling2D\): no native inference step/);
  const input = tf.input({ shape: [4] });
  const functional = tf.model({
    inputs: input,
    outputs: tf.layers.add().apply([input, input]) as tf.SymbolicTensor,
  });
  assert.match(String(inferenceLayers(functional)), /not a chain of single-input layers/);
  [tanh, pool, functional].forEach((m) => m.dispose());
});
