import * as tf from "@tensorflow/tfjs";
import { conv2d } from "./conv2d.ts";

/**
 * A 2-D convolution with "same" padding and ReLU (internal to `models/`), the building block the
 * seed notebooks' CNNs share. Pass `inputShape` for the model's first layer only; `init` is a
 * seeded initialiser from `_LayerSeeds`, taken by the caller so the seed order stays explicit.
 */
export function _sameReluConv(
  filters: number,
  kernelSize: number,
  init: ReturnType<typeof tf.initializers.heNormal>,
  inputShape?: readonly number[],
): tf.layers.Layer {
  return conv2d({
    ...(inputShape ? { inputShape: [...inputShape] } : {}),
    filters,
    kernelSize,
    padding: "same",
    activation: "relu",
    kernelInitializer: init,
  });
}
