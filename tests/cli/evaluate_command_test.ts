import assert from "node:assert/strict";
import { run } from "../../cli/evaluate_command.ts";
import { runCli } from "../../cli/run_cli.ts";
import { join, makeTinyRun, mnistSlice, tempDir, writeCsv } from "../predict/_tiny_run.ts";
import { captureOutput } from "./_capture_output.ts";

const root = await tempDir();
const model = await makeTinyRun(join(root, "model"));
const labelled = join(root, "labelled.csv");
const unlabelled = join(root, "test.csv");
const data = await mnistSlice(0, 300);
await writeCsv(labelled, data, "train");
await writeCsv(unlabelled, data, "test");

Deno.test("evaluate --json prints one document whose figures agree with each other", async () => {
  const { code, out } = await captureOutput(() =>
    run(["--model", model, "--data", labelled, "--json", "--mistakes", "5"])
  );
  assert.equal(code, 0);
  const doc = JSON.parse(out);
  assert.equal(doc.rows, 300);
  assert.equal(doc.confusion.flat().reduce((a: number, b: number) => a + b, 0), 300);
  const diagonal = doc.confusion.reduce((s: number, row: number[], i: number) => s + row[i]!, 0);
  assert.equal(doc.accuracy, diagonal / 300);
  assert.ok(doc.accuracy > 0.8 && doc.loss > 0);
  assert.equal(doc.perClass.length, 10);
  assert.deepEqual(
    doc.perClass.map((c: { support: number }) => c.support),
    [...Array(10).keys()].map((c) => data.labels.filter((l) => l === c).length),
  );
  assert.ok(doc.macro.rocAuc > 0.9);
  assert.equal(doc.mistakes.length, 5);
  for (const m of doc.mistakes) {
    assert.notEqual(m.true, m.predicted);
    assert.equal(String(data.labels[m.row - 1]), m.true, "row is the 1-based data row");
  }
});

Deno.test("evaluate prints tables on a terminal", async () => {
  const { code, out } = await captureOutput(() => run(["--model", model, "--data", labelled]));
  assert.equal(code, 0);
  assert.match(out, /accuracy \d+\.\d\d%/);
  assert.match(out, /macro avg/);
  assert.match(out, /weighted avg/);
  assert.match(out, /confusion matrix/);
  assert.match(out, /most confident mistakes/);
});

Deno.test("evaluate rejects a file without a label column with one message and exit 1", async () => {
  const { code, err } = await captureOutput(() =>
    runCli(["evaluate", "--model", model, "--data", unlabelled])
  );
  assert.equal(code, 1);
  assert.match(err, /error: .*test.csv has no label column.*--label-column/);
  assert.doesNotMatch(err, /\n\s+at /);
});

Deno.test("evaluate names an incomplete model folder (exit 1)", async () => {
  const broken = join(root, "broken");
  await Deno.mkdir(broken);
  await Deno.copyFile(join(model, "manifest.json"), join(broken, "manifest.json"));
  const { code, err } = await captureOutput(() =>
    runCli(["evaluate", "--model", broken, "--data", labelled])
  );
  assert.equal(code, 1);
  assert.match(err, /error: model.json is missing: .*broken\/model.json does not exist/);
});
