import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../../backend/select_backend.ts";
import { run as evaluate } from "../../cli/evaluate_command.ts";
import { run as predict } from "../../cli/predict_command.ts";
import { applyTemperature } from "../../common/apply_temperature.ts";
import { readManifest } from "../../models/model_io.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { trainRun } from "../../train/train_run.ts";
import { captureOutput } from "../cli/_capture_output.ts";
import { mnistSlice as idxSlice, writeCsv } from "../predict/_tiny_run.ts";
import { mnistSlice } from "./_mnist_slice.ts";

await selectBackend("wasm");
const root = await Deno.makeTempDir({ prefix: "digits-calib-" });
const data = await mnistSlice(1500, 0);
const testCsv = join(root, "test.csv");
// Unseen rows: the t10k file's first 500 (training used the train file's first 1,500).
await writeCsv(testCsv, await idxSlice(0, 500), "train");

/** A short real training run: mlp, 8 epochs, 1,050 training and 450 validation rows. */
async function trainShortRun(): Promise<string> {
  const out = join(root, "run");
  await trainRun(
    resolveConfig({ flags: { out, model: "mlp", epochs: 8, backend: "wasm", seed: 42 } }),
    {
      examples: { train: data.train.slice(0, 1050), valid: data.train.slice(1050) },
      progress: "silent",
    },
  );
  return out;
}
const runDir = await trainShortRun();

/** The probability columns of a `predict --probabilities` submission. */
async function probabilities(args: string[]): Promise<number[]> {
  const output = join(root, `sub-${args.length}.csv`);
  const { code } = await captureOutput(() =>
    predict(["--model", runDir, "--input", testCsv, "--probabilities", "--output", output, ...args])
  );
  assert.equal(code, 0);
  const lines = (await Deno.readTextFile(output)).trim().split("\n").slice(1);
  return lines.flatMap((line) => line.split(",").slice(2).map(Number));
}

Deno.test("fitCalibration after a real training run: the manifest holds a temperature that lowers the validation ECE", async () => {
  const c = (await readManifest(runDir)).calibration;
  assert.ok(c, "manifest.calibration is written");
  assert.equal(c.method, "temperature");
  assert.equal(c.fittedOn, "validation");
  assert.equal(c.rows, 450);
  assert.equal(c.bins, 15);
  assert.equal(c.atBound, false);
  assert.ok(Math.abs(c.temperature - 1) > 0.05, `temperature ${c.temperature}`);
  assert.ok(c.nllAfter < c.nllBefore, `NLL ${c.nllBefore} → ${c.nllAfter}`);
  assert.ok(c.eceAfter < c.eceBefore, `ECE ${c.eceBefore} → ${c.eceAfter}`);
});

Deno.test("evaluate --json shows a lower ECE after calibration on unseen rows, and --uncalibrated none", async () => {
  const { code, out } = await captureOutput(() =>
    evaluate(["--model", runDir, "--data", testCsv, "--json", "--backend", "wasm"])
  );
  assert.equal(code, 0);
  const doc = JSON.parse(out);
  const t = (await readManifest(runDir)).calibration!.temperature;
  assert.deepEqual(doc.calibration.temperatures, [t]);
  assert.ok(
    doc.calibration.eceAfter < doc.calibration.eceBefore,
    `test ECE ${doc.calibration.eceBefore} → ${doc.calibration.eceAfter}`,
  );
  assert.equal(doc.calibration.before.length, 15);
  const raw = JSON.parse(
    (await captureOutput(() =>
      evaluate([
        "--model",
        runDir,
        "--data",
        testCsv,
        "--json",
        "--uncalibrated",
        "--backend",
        "wasm",
      ])
    )).out,
  );
  assert.deepEqual(raw.calibration.temperatures, [1]);
  assert.equal(raw.calibration.eceAfter, raw.calibration.eceBefore);
  assert.equal(raw.calibration.eceBefore, doc.calibration.eceBefore);
  assert.equal(raw.accuracy, doc.accuracy, "temperature scaling never changes the argmax");
  assert.ok(doc.loss < raw.loss, `test loss ${raw.loss} → ${doc.loss}`);
  const table = await captureOutput(() => evaluate(["--model", runDir, "--data", testCsv]));
  assert.match(table.out, /calibration temperature \d\.\d{3} {2}ECE 0\.\d{4} → 0\.\d{4}/);
});

Deno.test("predict writes the calibrated probabilities: softmax(log p / T) of the raw ones", async () => {
  const t = (await readManifest(runDir)).calibration!.temperature;
  const raw = await probabilities(["--uncalibrated"]);
  const calibrated = await probabilities([]);
  assert.equal(raw.length, 5000);
  const expected = applyTemperature(raw.map((p) => Math.min(1, p)), 10, t);
  let changed = 0;
  calibrated.forEach((p, i) => {
    // The submission rounds to 6 digits; the tensor op floors log p at 1e-30.
    assert.ok(Math.abs(p - expected[i]!) < 1e-4, `value ${i}: ${p} vs ${expected[i]}`);
    if (Math.abs(p - raw[i]!) > 1e-3) changed++;
  });
  assert.ok(changed > 500, `only ${changed} probabilities changed`);
});
