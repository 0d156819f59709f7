import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { cli } from "./_capture_output.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

Deno.test("inspect prints rows, columns, format, image size, labels and pixel range", async () => {
  const plots = await Deno.makeTempDir();
  const { code, out } = await cli(["inspect", fixture("kaggle_train.csv"), "--plots-dir", plots]);
  assert.equal(code, 0);
  // The EDA plots are written as PNG files (signature 89 50 4E 47) and listed.
  for (const name of ["label_distribution.png", "pixel_histogram.png", "sample_digits.png"]) {
    const bytes = await Deno.readFile(`${plots}/${name}`);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.match(out, new RegExp(name));
  }
  await Deno.remove(plots, { recursive: true });
  assert.match(out, /format\s+kaggle-train/);
  assert.match(out, /rows\s+12/);
  assert.match(out, /columns\s+17 \(label in column 0, 16 pixels\)/);
  assert.match(out, /image\s+4×4/);
  assert.match(out, /labels\s+0:2 {2}1:2 {2}2:1/);
  assert.match(out, /pixels\s+0\.\.\d+ \(file max 255\)/);
});

Deno.test("inspect --json gives machine-readable statistics; format flags apply", async () => {
  const { code, out } = await cli([
    "inspect",
    fixture("optdigits.csv"),
    "--json",
    "--no-plots",
    "--no-header",
    "--label-column",
    "last",
    "--pixel-max",
    "16",
  ]);
  assert.equal(code, 0);
  const stats = JSON.parse(out);
  assert.equal(stats.rows, 6);
  assert.equal(stats.format.kind, "headerless");
  assert.equal(stats.format.height, 8);
  assert.equal(stats.format.labelIndex, 64);
});

Deno.test("inspect stops on a bad row with exit 1, or skips it with --skip-bad-rows", async () => {
  const bad = await cli(["inspect", fixture("bad_field_count.csv")]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.err,
    /^error: Cannot parse .*bad_field_count\.csv line 3 column 17: expected 17 fields but got 16$/,
  );
  const skipped = await cli([
    "inspect",
    fixture("bad_field_count.csv"),
    "--skip-bad-rows",
    "--no-plots",
  ]);
  assert.equal(skipped.code, 0);
  assert.match(skipped.out, /skipped\s+1 bad rows/);
  assert.match(skipped.out, /line 3 column 17/);
});

Deno.test("inspect names an unknown option and a missing file argument (exit 2)", async () => {
  const unknown = await cli(["inspect", fixture("kaggle_train.csv"), "--pixel-mx", "3"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option --pixel-mx \(did you mean --pixel-max\?\)/);
  assert.equal((await cli(["inspect"])).code, 2);
  assert.equal((await cli(["inspect", fixture("empty.csv")])).code, 1);
});
