/**
 * A chain model's layers as plain inference data, for backend/native's inference plan.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { InferenceLayer } from "../backend/native/native_inference_plan.ts";
import { sequentialChain } from "./forward_inference.ts";

type Config = Record<string, unknown>;

/**
 * The layers of `model` as {@linkcode InferenceLayer}s, weights copied out, in inference mode
 * (dropout is left out, batch norm uses its moving statistics); or why not (a string) when the
 * model is not a chain of layers the plan runs: Conv2D (NHWC, dilation 1, linear, ReLU or ELU),
 * MaxPooling2D, BatchNormalization over the last axis, Flatten, Dense (linear, ReLU, ELU or softmax),
 * Dropout, ReLU, Softmax over the last axis and Activation (ReLU, softmax, linear). Every zoo
 * model is such a chain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { inferenceLayers } from "./inference_layers.ts";
 * const model = tf.sequential({ layers: [
 *   tf.layers.flatten({ inputShape: [2, 2, 1] }),
 *   tf.layers.dropout({ rate: 0.5 }),
 *   tf.layers.dense({ units: 3, activation: "softmax" }),
 * ] });
 * const layers = inferenceLayers(model);
 * assert.ok(typeof layers !== "string");
 * assert.deepEqual(layers.map((l) => l.kind), ["flatten", "dense"]);
 * model.dispose();
 * ```
 */
export function inferenceLayers(model: tf.LayersModel): InferenceLayer[] | string {
  const chain = sequentialChain(model);
  if (chain === undefined) return "the model is not a chain of single-input layers";
  const out: InferenceLayer[] = [];
  for (const layer of chain) {
    const step = _layer(layer, layer.getConfig() as Config);
    if (typeof step === "string") return `layer ${layer.name} (${layer.getClassName()}): ${step}`;
    if (step !== null) out.push(step);
  }
  return out;
}

/** One layer as plan data; null for a layer that does nothing in inference; a string: why not. */
function _layer(layer: tf.layers.Layer, c: Config): InferenceLayer | null | string {
  switch (layer.getClassName()) {
    case "Conv2D":
      return _conv2d(layer, c);
    case "MaxPooling2D":
      if (c.dataFormat !== "channelsLast") return "only channels-last pools";
      return {
        kind: "maxPool",
        poolSize: _pair(c.poolSize),
        strides: _pair(c.strides ?? c.poolSize),
        padding: c.padding === "same" ? "same" : "valid",
      };
    case "BatchNormalization":
      return _batchNorm(layer, c);
    case "Flatten":
      return { kind: "flatten" };
    case "Dense":
      return _dense(layer, c);
    case "Dropout":
      return null;
    case "ReLU":
      return c.maxValue == null ? { kind: "activation", activation: "relu" } : "a capped ReLU";
    case "Softmax":
      return _isLastAxis(layer, c.axis)
        ? { kind: "activation", activation: "softmax" }
        : "a softmax over another axis";
    case "Activation":
      if (c.activation === "linear") return null;
      return c.activation === "relu" || c.activation === "softmax"
        ? { kind: "activation", activation: c.activation }
        : `activation ${c.activation}`;
    default:
      return "no native inference step for this layer";
  }
}

function _conv2d(layer: tf.layers.Layer, c: Config): InferenceLayer | string {
  const activation = c.activation ?? "linear";
  if (activation !== "linear" && activation !== "relu" && activation !== "elu") {
    return `activation ${activation}`;
  }
  if (c.dataFormat !== "channelsLast") return "only channels-last convolutions";
  if (_pair(c.dilationRate ?? 1).some((d) => d !== 1)) return "a dilated convolution";
  const [kernel, bias] = _weights(layer);
  return {
    kind: "conv2d",
    filter: kernel!.values,
    filterShape: kernel!.shape as [number, number, number, number],
    ...(c.useBias ? { bias: bias!.values } : {}),
    strides: _pair(c.strides ?? 1),
    padding: c.padding === "same" ? "same" : "valid",
    activation: activation as "linear" | "relu" | "elu",
  };
}

function _batchNorm(layer: tf.layers.Layer, c: Config): InferenceLayer | string {
  if (c.axis !== -1 && c.axis !== 3) return `batch norm over axis ${c.axis}`;
  const weights = _weights(layer);
  const channels = weights[weights.length - 1]!.values.length;
  // Keras's order: gamma (with scale), beta (with center), moving mean, moving variance.
  const gamma = c.scale ? weights.shift()!.values : new Float32Array(channels).fill(1);
  const beta = c.center ? weights.shift()!.values : new Float32Array(channels);
  const [mean, variance] = weights;
  return {
    kind: "batchNorm",
    mean: mean!.values,
    variance: variance!.values,
    gamma,
    beta,
    epsilon: c.epsilon as number,
  };
}

function _dense(layer: tf.layers.Layer, c: Config): InferenceLayer | string {
  const activation = c.activation ?? "linear";
  if (!["linear", "relu", "elu", "softmax"].includes(activation as string)) {
    return `activation ${activation}`;
  }
  const [kernel, bias] = _weights(layer);
  return {
    kind: "dense",
    kernel: kernel!.values,
    units: c.units as number,
    ...(c.useBias ? { bias: bias!.values } : {}),
    activation: activation as "linear" | "relu" | "elu" | "softmax",
  };
}

/** The layer's weights in tfjs's order, as float32 copies with their shapes. */
function _weights(layer: tf.layers.Layer): { values: Float32Array; shape: number[] }[] {
  return layer.getWeights().map((w) => ({
    values: Float32Array.from(w.dataSync() as Float32Array),
    shape: [...w.shape],
  }));
}

/** True when `axis` is the last axis of the layer's input (tfjs's Softmax layer says 1 for 2-D). */
function _isLastAxis(layer: tf.layers.Layer, axis: unknown): boolean {
  const rank = (layer.input as tf.SymbolicTensor).shape.length;
  return axis === -1 || axis === undefined || axis === rank - 1;
}

function _pair(v: unknown): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  return [Number(v), Number(v)];
}
