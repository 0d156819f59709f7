import * as tf from "@tensorflow/tfjs";
import { MODEL_ZOO } from "./model_zoo.ts";
import { createModel, resolveModelName } from "./create_model.ts";

/**
 * The `--list-models` table: each zoo model's name, parameter count for a 28×28×1 input with 10
 * classes (like Keras' `summary()`), layer count and description. Builds each model once and
 * disposes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { listModels } from "./list_models.ts";
 * const table = await listModels();
 * assert.ok(table.includes("logreg") && table.includes("7,850"));
 * ```
 */
export async function listModels(
  inputShape: [number, number, number] = [28, 28, 1],
  numClasses = 10,
): Promise<string> {
  await tf.ready();
  const rows = [["model", "params", "layers", "description"]];
  for (const [name, entry] of Object.entries(MODEL_ZOO)) {
    const model = entry.factory({ inputShape, numClasses, seed: 1 });
    const auto = entry.defaultFor === "large"
      ? " (auto for 28×28)"
      : entry.defaultFor === "small"
      ? " (auto for small images)"
      : "";
    rows.push([
      name,
      model.countParams().toLocaleString("en-US"),
      String(model.layers.length),
      entry.description + auto,
    ]);
    model.dispose();
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    [r[0]!.padEnd(widths[0]!), r[1]!.padStart(widths[1]!), r[2]!.padStart(widths[2]!), r[3]].join(
      "  ",
    )
  );
  lines.splice(1, 0, "-".repeat(Math.max(...lines.map((l) => l.length))));
  return `Model zoo (parameters for ${inputShape.join("×")} inputs, ${numClasses} classes):\n` +
    lines.join("\n");
}

/**
 * Keras-style `summary()` of one zoo model: every layer with its output shape and parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { summarizeModel } from "./list_models.ts";
 * const text = await summarizeModel("logreg");
 * assert.ok(text.includes("Total params: 7850"));
 * ```
 */
export async function summarizeModel(
  name: string,
  inputShape: [number, number, number] = [28, 28, 1],
  numClasses = 10,
): Promise<string> {
  await tf.ready();
  const model = createModel(name, { inputShape, numClasses, seed: 1 });
  const lines: string[] = [];
  model.summary(100, undefined, (line: string) => lines.push(line));
  model.dispose();
  return `${resolveModelName(name, inputShape)} for ${inputShape.join("×")} inputs:\n` +
    lines.join("\n");
}
