import assert from "node:assert/strict";
import { selectBackend } from "../../backend/select_backend.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Example } from "../../pipeline/types.ts";
import { deriveTrainingDefaults } from "../../train/derive_training_defaults.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { trainRun } from "../../train/train_run.ts";

await selectBackend("wasm");
const FIXTURE = new URL("../fixtures/csv/mnist8/", import.meta.url).pathname;

async function read(file: string): Promise<Example[]> {
  const format = { header: false, labelColumn: "last", pixelMax: 16 };
  return await Array.fromAsync(readExamples({ files: FIXTURE + file, format }));
}

Deno.test("the derived defaults train the 300-row 8×8 fixture to ≥80% on its 100 test rows", async () => {
  const train = await read("train.csv");
  const test = await read("test.csv");
  const out = await Deno.makeTempDir();
  // The defaults as the loop will lay them (under the user's flags). The derived budget for 255
  // training rows is 200 epochs; the test gives --epochs 30 to stay short, so the preset's decay
  // is stretched over 30 epochs and everything else is derived.
  const base = resolveConfig({ flags: { out, backend: "wasm", seed: 1, epochs: "30" } });
  const derived = deriveTrainingDefaults(
    { rows: train.length, height: 8, width: 8, numClasses: 10 },
    base,
    new Set(["epochs"]),
    resolveConfig().epochs,
  );
  assert.equal(derived.values.model, "digits8-cnn");
  const config = { ...base, ...derived.values };
  const { manifest } = await trainRun(config, {
    examples: { train, test },
    progress: "silent",
  });
  const acc = manifest.metrics.final.test_acc!;
  assert.ok(acc >= 0.8, `test accuracy ${acc}`);
  assert.equal(manifest.config.validSplit, 0.15);
  assert.equal(manifest.config.stratify, true);
  await Deno.remove(out, { recursive: true });
});
