import assert from "node:assert/strict";
import { join } from "node:path";
import { readManifest } from "../../models/model_io.ts";
import { cli } from "../cli/_capture_output.ts";

const FIXTURE = new URL("../fixtures/csv/mnist8/", import.meta.url).pathname;
const TRAIN = join(FIXTURE, "train.csv");
const TEST = join(FIXTURE, "test.csv");
const FORMAT = ["--no-header", "--label-column", "last", "--pixel-max", "16"];

/** Trains `model` through `deno task train`, then scores and predicts with the saved folder. */
async function roundTrip(model: string, extra: string[] = []) {
  const out = await Deno.makeTempDir();
  const trained = await cli([
    "train",
    "--data",
    TRAIN,
    "--test",
    TEST,
    ...FORMAT,
    "--model",
    model,
    "--out",
    out,
    "--backend",
    "wasm",
    ...extra,
  ]);
  assert.equal(trained.code, 0, trained.err);
  const manifest = await readManifest(out);
  const evaluated = await cli(["evaluate", "--model", out, "--data", TEST, ...FORMAT, "--json"]);
  assert.equal(evaluated.code, 0, evaluated.err);
  const report = JSON.parse(evaluated.out) as { accuracy: number };
  const submission = join(out, "submission.csv");
  const predicted = await cli([
    "predict",
    "--model",
    out,
    "--input",
    TEST,
    ...FORMAT,
    "--output",
    submission,
  ]);
  assert.equal(predicted.code, 0, predicted.err);
  const labels = (await Deno.readTextFile(TEST)).trim().split("\n").map((l) =>
    +l.split(",").at(-1)!
  );
  const rows = (await Deno.readTextFile(submission)).trim().split("\n").slice(1);
  const correct = rows.filter((r, i) => Number(r.split(",")[1]) === labels[i]).length;
  return { out, manifest, accuracy: report.accuracy, predictedAccuracy: correct / rows.length };
}

Deno.test("deno task train --model svm trains the hinge loss and round-trips through evaluate and predict", async () => {
  const { out, manifest, accuracy, predictedAccuracy } = await roundTrip("svm", ["--epochs", "40"]);
  assert.equal(manifest.architecture, "svm");
  assert.equal(manifest.config.lr, 1e-2);
  assert.equal(manifest.config.monitor, "val_acc");
  const trained = manifest.metrics.final.test_acc!;
  assert.ok(trained >= 0.7, `svm test accuracy ${trained}`);
  assert.ok(Math.abs(accuracy - trained) < 1e-9, `evaluate ${accuracy} vs training ${trained}`);
  assert.equal(predictedAccuracy, accuracy);
  await Deno.remove(out, { recursive: true });
});

Deno.test("deno task train --model knn fits in one pass and round-trips through evaluate and predict", async () => {
  const { out, manifest, accuracy, predictedAccuracy } = await roundTrip("knn");
  assert.equal(manifest.architecture, "knn");
  assert.equal(manifest.epochsCompleted, 1);
  const trained = manifest.metrics.final.test_acc!;
  assert.ok(trained >= 0.75, `knn test accuracy ${trained}`);
  assert.ok(manifest.metrics.final.val_acc! > 0.6);
  assert.ok(Math.abs(accuracy - trained) < 1e-9, `evaluate ${accuracy} vs training ${trained}`);
  assert.equal(predictedAccuracy, accuracy);
  // A fitted model has no epochs to continue.
  const resumed = await cli(["train", "--resume", out, "--backend", "wasm"]);
  assert.equal(resumed.code, 1);
  assert.match(resumed.err, /a knn model is fitted in one pass.*without --resume/);
  await Deno.remove(out, { recursive: true });
});
