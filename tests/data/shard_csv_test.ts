import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { shardCsv } from "../../data/shard_csv.ts";
import { readExamples } from "../../pipeline/read_examples.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

Deno.test("shardCsv then reading the shards in order gives back the original rows", async () => {
  const out = await Deno.makeTempDir();
  const { files, rows } = await shardCsv(fixture("kaggle_train.csv"), { parts: 5, out });
  assert.equal(files.length, 5);
  assert.deepEqual(rows, [2, 2, 3, 2, 3]);
  assert.match(files[0]!, /kaggle_train_00\.csv$/);
  const original = await Array.fromAsync(readExamples({ files: fixture("kaggle_train.csv") }));
  const back = await Array.fromAsync(readExamples({ files }));
  assert.deepEqual(
    back.map((e) => [e.label, ...e.pixels]),
    original.map((e) => [e.label, ...e.pixels]),
  );
  for (const f of files) assert.ok((await Deno.readTextFile(f)).startsWith("label,pixel0,"));
  await Deno.remove(out, { recursive: true });
});

Deno.test("shardCsv keeps a headerless file headerless and refuses more parts than rows", async () => {
  const out = await Deno.makeTempDir();
  const { files } = await shardCsv(fixture("optdigits.csv"), { parts: 3, out });
  const text = await Deno.readTextFile(files[0]!);
  assert.equal(text.split("\n").length, 3); // two rows and the final newline, no header
  await assert.rejects(shardCsv(fixture("kaggle_test.csv"), { parts: 9, out }), /only 5 data rows/);
  await Deno.remove(out, { recursive: true });
});
