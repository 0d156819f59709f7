import * as tf from "@tensorflow/tfjs";

/** The activations of one convolution layer for one image. */
export interface FeatureMap {
  /** The layer's name in the model. */
  layer: string;
  height: number;
  width: number;
  /** One row-major `height`×`width` map per filter. */
  channels: Float32Array[];
}

const CONV_LAYERS = new Set(["Conv2D", "SeparableConv2D", "DepthwiseConv2D"]);

/**
 * Runs one image (`[0, 1]` pixels shaped like the model's input) through `model` and returns the
 * output of every convolution layer, as seed 004's notebook shows them. A model without
 * convolutions gives an empty list. Only the model's own layers are searched (not nested models).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { featureMaps } from "./feature_maps.ts";
 * const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 })] });
 * const maps = featureMaps(model, new Float32Array(16));
 * assert.ok(maps.length === 1 && maps[0]!.channels.length === 2 && maps[0]!.height === 2);
 * ```
 */
export function featureMaps(model: tf.LayersModel, image: Float32Array): FeatureMap[] {
  const convs: tf.SymbolicTensor[] = [];
  const names: string[] = [];
  for (const layer of model.layers) {
    if (CONV_LAYERS.has(layer.getClassName())) {
      convs.push(layer.output as tf.SymbolicTensor);
      names.push(layer.name);
    }
  }
  if (convs.length === 0) return [];
  const [, h, w, c] = model.inputs[0]!.shape;
  const probe = tf.model({ inputs: model.inputs, outputs: convs });
  const outputs = tf.tidy(() => {
    const x = tf.tensor4d(image, [1, h ?? 28, w ?? 28, c ?? 1]);
    const out = probe.predict(x);
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  });
  return outputs.map(({ shape, data }, i) => {
    const [, oh = 1, ow = 1, oc = 1] = shape;
    const channels: Float32Array[] = [];
    for (let ch = 0; ch < oc; ch++) {
      const map = new Float32Array(oh * ow);
      for (let p = 0; p < oh * ow; p++) map[p] = data[p * oc + ch]!;
      channels.push(map);
    }
    return { layer: names[i]!, height: oh, width: ow, channels };
  });
}
