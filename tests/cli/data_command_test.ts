import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { cli } from "./_capture_output.ts";
import { readExamples } from "../../pipeline/read_examples.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

Deno.test("data with no flags reports the embedded MNIST cache", async () => {
  const { code, out } = await cli(["data"]);
  assert.equal(code, 0);
  assert.match(out, /MNIST as Kaggle CSVs in .*data\/cache\/mnist/);
  assert.match(out, /10 shards/);
});

Deno.test("data shard splits a file and the shards read back to the same rows", async () => {
  const out = await Deno.makeTempDir();
  const { code, out: text } = await cli([
    "data",
    "shard",
    "--parts",
    "3",
    "--out",
    out,
    fixture("kaggle_train.csv"),
  ]);
  assert.equal(code, 0);
  assert.match(text, /12 rows into 3 files/);
  const back = await Array.fromAsync(readExamples({ files: out }));
  const original = await Array.fromAsync(readExamples({ files: fixture("kaggle_train.csv") }));
  assert.deepEqual(
    back.map((e) => [e.label, ...e.pixels]),
    original.map((e) => [e.label, ...e.pixels]),
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("data split takes --range and --fraction parts", async () => {
  const out = await Deno.makeTempDir();
  const ranges = await cli([
    "data",
    "split",
    "--out",
    out,
    "--range",
    "train=0..9",
    "--range",
    "valid=9..12",
    fixture("kaggle_train.csv"),
  ]);
  assert.equal(ranges.code, 0);
  assert.match(ranges.out, /train\s+.*train\.csv\s+9 rows/);
  const fractions = await cli([
    "data",
    "split",
    "--out",
    out,
    "--fraction",
    "a=0.75",
    "--fraction",
    "b=0.25",
    "--stratify",
    "--seed",
    "2",
    fixture("kaggle_train.csv"),
  ]);
  assert.equal(fractions.code, 0);
  assert.match(fractions.out, /a\s+.*a\.csv\s+\d+ rows/);
  await Deno.remove(out, { recursive: true });
});

Deno.test("data reports usage mistakes with exit 2 and bad data with exit 1", async () => {
  const noParts = await cli(["data", "shard", "--out", "x", fixture("kaggle_train.csv")]);
  assert.equal(noParts.code, 2);
  assert.match(noParts.err, /shard needs --parts N/);
  const badRange = await cli([
    "data",
    "split",
    "--out",
    "x",
    "--range",
    "train=0-9",
    fixture("kaggle_train.csv"),
  ]);
  assert.equal(badRange.code, 2);
  assert.match(badRange.err, /--range must look like NAME=START\.\.END/);
  const empty = await cli(["data", "shard", "--parts", "2", "--out", "x", fixture("empty.csv")]);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /empty\.csv: the file is empty/);
});
