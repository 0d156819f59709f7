/**
 * `conv2d(args)`: tfjs's Conv2D layer, whose ReLU convolutions (NHWC, dilation 1, with bias) run
 * as one op with one gradient (backend/conv2d_bias_relu.ts) where the backend has it (native),
 * and unchanged everywhere else. It saves as a plain "Conv2D" with the same config and weights,
 * so a saved model loads in stock tfjs (a browser) as before.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBiasRelu, hasConv2dBiasRelu } from "../backend/conv2d_bias_relu.ts";
import { registerAsStock, stockClass } from "./stock_class.ts";

type Conv2dArgs = Parameters<typeof tf.layers.conv2d>[0];

/** The fields of tfjs's Conv2D that the fused path reads (not in its typings). */
interface ConvFields {
  rank: number;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: { getClassName(): string } | null;
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
}

type LayerClass = new (args: Conv2dArgs) => tf.layers.Layer;

let fastClass: LayerClass | undefined;

/** True when the layer's call is exactly relu(conv2d(x) + bias) in NHWC with dilation 1. */
function fusable(f: ConvFields, x: tf.Tensor): boolean {
  const dilations = typeof f.dilationRate === "number" ? [f.dilationRate] : f.dilationRate;
  return f.rank === 2 && x.rank === 4 && x.dtype === "float32" && f.bias !== null &&
    f.dataFormat === "channelsLast" && f.activation?.getClassName() === "relu" &&
    (f.padding === "same" || f.padding === "valid") && dilations.every((d) => d === 1) &&
    hasConv2dBiasRelu();
}

/**
 * The subclass, made once and registered under tfjs's class name, so models loaded from disk in
 * this process (`--resume`) train through it too. Its static `className` is inherited, so
 * `getClassName()` and the saved JSON still say "Conv2D".
 */
function fastConv2d(): LayerClass {
  if (fastClass !== undefined) return fastClass;
  const Base = stockClass<LayerClass>("Conv2D");

  class FastConv2D extends Base {
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const f = this as unknown as ConvFields;
      if (!fusable(f, x)) return super.call(inputs, kwargs);
      return tf.tidy(() =>
        conv2dBiasRelu(
          x as tf.Tensor4D,
          f.kernel.read() as tf.Tensor4D,
          f.bias!.read() as tf.Tensor1D,
          {
            strides: [f.strides[0]!, f.strides[1] ?? f.strides[0]!],
            pad: f.padding as "same" | "valid",
          },
        )
      );
    }
  }
  fastClass = registerAsStock(FastConv2D);
  return fastClass;
}

/**
 * A Conv2D layer (same arguments as `tf.layers.conv2d`) whose ReLU convolutions run fused on
 * backends that support it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { conv2d } from "./conv2d.ts";
 * const layer = conv2d({ filters: 8, kernelSize: 3, activation: "relu" });
 * assert.strictEqual(layer.getClassName(), "Conv2D");
 * ```
 */
export function conv2d(args: Conv2dArgs): tf.layers.Layer {
  return new (fastConv2d())(args);
}

/** Makes models loaded from disk from now on use the fused path too (for `--resume`). */
export function useFastConv2d(): void {
  fastConv2d();
}
