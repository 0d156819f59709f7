import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromArgs } from "../../cli/train_command.ts";
import { readManifest } from "../../models/model_io.ts";
import { deriveTrainingDefaults } from "../../train/derive_training_defaults.ts";
import { loadTrainingData } from "../../train/load_training_data.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { cli } from "../cli/_capture_output.ts";

const FIXTURE = new URL("../fixtures/csv/mnist8/", import.meta.url).pathname;
const FORMAT = ["--no-header", "--label-column", "last", "--pixel-max", "16"];

Deno.test("deno task train on the 300-row 8×8 fixture with only the format flags derives its defaults and scores ≥85%", async () => {
  const out = await Deno.makeTempDir();
  const { code } = await cli([
    "train",
    "--data",
    join(FIXTURE, "train.csv"),
    "--test",
    join(FIXTURE, "test.csv"),
    ...FORMAT,
    "--out",
    out,
    "--backend",
    "wasm",
  ]);
  assert.equal(code, 0);
  const manifest = await readManifest(out);
  // 255 training rows at batch 64: the 1,200-step floor raises the preset's 8 epochs to 200.
  assert.match(manifest.derived!.line, /^300 rows: 200 epochs .*stratified 15% validation/);
  assert.match(manifest.derived!.line, /model digits8-cnn for 8×8/);
  assert.equal(manifest.architecture, "digits8-cnn");
  assert.equal(manifest.config.epochs, 200);
  assert.equal(manifest.config.stratify, true);
  assert.equal(manifest.config.validSplit, 0.15);
  assert.equal(manifest.epochsCompleted, 200);
  const acc = manifest.metrics.final.test_acc!;
  assert.ok(acc >= 0.85, `test accuracy ${acc} on the 100 fixture test rows`);
  await Deno.remove(out, { recursive: true });
});

Deno.test("configFromArgs asks for derived defaults with the default preset only, naming the user's keys", async () => {
  const bare = await configFromArgs(["--epochs", "3", "--pixel-max", "16"]);
  assert.deepEqual(bare.derive?.explicit.sort(), ["epochs", "pixelMax"]);
  assert.equal(bare.derive?.presetEpochs, 8);
  assert.ok((await configFromArgs(["--preset", "default"])).derive);
  assert.equal((await configFromArgs(["--preset", "quick"])).derive, undefined);
  assert.equal((await configFromArgs(["--preset", "best"])).derive, undefined);
});

Deno.test("configFromArgs: an svm trains at lr 1e-2 and follows val_acc unless told otherwise", async () => {
  const svm = (await configFromArgs(["--model", "svm"])).config;
  assert.equal(svm.lr, 1e-2);
  assert.equal(svm.monitor, "val_acc");
  const told = (await configFromArgs(["--model", "svm", "--lr", "0.5", "--monitor", "val_loss"]))
    .config;
  assert.equal(told.lr, 0.5);
  assert.equal(told.monitor, "val_loss");
  assert.equal((await configFromArgs([])).config.lr, 2e-3);
});

Deno.test("loadTrainingData with a derive request splits 1,200 8×8 rows stratified 15% and turns on early stopping", async () => {
  const dir = await Deno.makeTempDir();
  const rows = await Deno.readTextFile(join(FIXTURE, "train.csv"));
  const file = join(dir, "rows.csv");
  await Deno.writeTextFile(file, rows.repeat(4));
  const base = resolveConfig({ flags: { data: [file], header: false, labelColumn: "last" } });
  const derive = { explicit: ["data", "header", "labelColumn"], presetEpochs: base.epochs };
  const data = await loadTrainingData({ ...base, pixelMax: 16 }, undefined, derive);
  const values = data.derived!.values;
  assert.equal(values.validSplit, 0.15);
  assert.equal(values.stratify, true);
  assert.equal(values.restoreBest, true);
  assert.ok(values.patience! >= 10, `patience ${values.patience}`);
  assert.equal(data.valid!.size, 180);
  assert.equal(data.train.size, 1020);
  // Stratified: each class's share of the validation rows is its share of all rows (±1 row).
  const count = (select: Uint8Array | null) => {
    const c = new Array(10).fill(0);
    for (let i = 0; i < data.all.size; i++) c[data.all.at(i).label] += select ? select[i]! : 1;
    return c;
  };
  const all = count(null), valid = count(data.valid!.select);
  all.forEach((n, k) => assert.ok(Math.abs(valid[k] - n * 0.15) <= 1, `class ${k}`));
  // An explicit --epochs keeps its count and turns early stopping off.
  const fixed = await loadTrainingData({ ...base, pixelMax: 16, epochs: 5 }, undefined, {
    ...derive,
    explicit: [...derive.explicit, "epochs"],
  });
  assert.equal(fixed.derived!.values.epochs, undefined);
  assert.equal(fixed.derived!.values.patience, undefined);
  // Without a request nothing is derived (rows in memory, --resume, named presets).
  assert.equal((await loadTrainingData({ ...base, pixelMax: 16 })).derived, null);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("deriveTrainingDefaults leaves the bare MNIST run as it is (compact-cnn for auto, nothing else)", () => {
  const base = resolveConfig();
  const derived = deriveTrainingDefaults(
    { rows: 60000, height: 28, width: 28, numClasses: 10 },
    base,
  );
  const { model, ...rest } = derived.values;
  assert.equal(model, "compact-cnn");
  assert.deepEqual({ ...base, ...rest }, base);
});
