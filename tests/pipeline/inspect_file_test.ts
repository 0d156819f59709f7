import assert from "node:assert/strict";
import { inspectFile } from "../../pipeline/inspect_file.ts";
import { collectExamples } from "../../pipeline/collect_examples.ts";
import { fixture } from "./_fixture.ts";

Deno.test("inspectFile counts rows, labels and pixel statistics", async () => {
  const stats = await inspectFile(fixture("kaggle_train.csv"));
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const all = examples.flatMap((e) => [...e.pixels]);
  assert.equal(stats.rows, 12);
  assert.equal(stats.columns, 17);
  assert.deepEqual(stats.labelCounts, [2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(stats.pixelMin, Math.min(...all));
  assert.equal(stats.pixelMax, Math.max(...all));
  assert.ok(Math.abs(stats.pixelMean - all.reduce((a, b) => a + b, 0) / all.length) < 1e-9);
  assert.equal(stats.skipped, null);
});

Deno.test("inspectFile reports pixel range in file units and skipped rows", async () => {
  const opt = await inspectFile(fixture("optdigits.csv"), {
    format: { labelColumn: "last", pixelMax: 16 },
  });
  assert.ok(opt.pixelMax <= 16);
  assert.equal(opt.format.width, 8);
  const bad = await inspectFile(fixture("bad_label.csv"), { format: { skipBadRows: true } });
  assert.equal(bad.rows, 1);
  assert.equal(bad.skipped?.count, 1);
});
