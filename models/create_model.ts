import type * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./model_config.ts";
import { MODEL_ZOO } from "./model_zoo.ts";

/**
 * Resolves `--model NAME` to a zoo name: "auto" picks the zoo's default for the input size
 * (a model made for small images below 25×25, the MNIST default otherwise).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { resolveModelName } from "./create_model.ts";
 * assert.ok(resolveModelName("auto", [8, 8, 1]) === "digits8-cnn");
 * ```
 */
export function resolveModelName(name: string, inputShape: readonly number[]): string {
  if (name !== "auto") return name;
  const small = Math.min(inputShape[0] ?? 0, inputShape[1] ?? 0) < 25;
  const want = small ? "small" : "large";
  const found = Object.entries(MODEL_ZOO).find(([, entry]) => entry.defaultFor === want);
  if (found === undefined) throw new Error(`the model zoo has no default for ${want} images`);
  return found[0];
}

/**
 * Builds zoo model `name` ("auto" allowed) for the given input shape and classes. An unknown name
 * is a `RangeError` that lists the zoo; an input too small for the model names models that fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { createModel } from "./create_model.ts";
 * const model = createModel("logreg", { inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
 * assert.ok(model.countParams() === 650);
 * model.dispose();
 * ```
 */
export function createModel(name: string, config: ModelConfig): tf.LayersModel {
  const resolved = resolveModelName(name, config.inputShape);
  const entry = MODEL_ZOO[resolved];
  if (entry === undefined) {
    throw new RangeError(
      `unknown model '${name}': expected auto or one of ${Object.keys(MODEL_ZOO).join(", ")}`,
    );
  }
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2) {
    throw new RangeError(`a model needs at least 2 classes, got ${config.numClasses}`);
  }
  return entry.factory(config);
}
