import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { splitCsv } from "../../data/split_csv.ts";
import { readExamples } from "../../pipeline/read_examples.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const rowsOf = async (file: string) =>
  (await Array.fromAsync(readExamples({ files: file }))).map((e) => [e.label, ...e.pixels]);

Deno.test("splitCsv by index ranges writes the rows of each range in order", async () => {
  const out = await Deno.makeTempDir();
  const parts = await splitCsv(fixture("kaggle_train.csv"), {
    out,
    ranges: [{ name: "train", start: 0, end: 8 }, { name: "valid", start: 8, end: 11 }, {
      name: "test",
      start: 11,
      end: 12,
    }],
  });
  assert.deepEqual(parts.map((p) => [p.name, p.rows]), [["train", 8], ["valid", 3], ["test", 1]]);
  const original = await rowsOf(fixture("kaggle_train.csv"));
  assert.deepEqual(await rowsOf(`${out}/valid.csv`), original.slice(8, 11));
  await assert.rejects(
    splitCsv(fixture("kaggle_train.csv"), { out, ranges: [{ name: "x", start: 0, end: 13 }] }),
    /range x 0\.\.13 goes beyond the 12 data rows/,
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("splitCsv by seeded fractions puts every row in one part; stratified keeps classes", async () => {
  const out = await Deno.makeTempDir();
  const fractions = [{ name: "a", fraction: 0.5 }, { name: "b", fraction: 0.5 }];
  const parts = await splitCsv(fixture("kaggle_train.csv"), { out, fractions, seed: 3 });
  assert.equal(parts[0]!.rows + parts[1]!.rows, 12);
  const a1 = await rowsOf(`${out}/a.csv`);
  await splitCsv(fixture("kaggle_train.csv"), { out, fractions, seed: 3 });
  assert.deepEqual(await rowsOf(`${out}/a.csv`), a1);
  const all = [...a1, ...await rowsOf(`${out}/b.csv`)].map((r) => r.join()).sort();
  assert.deepEqual(all, (await rowsOf(fixture("kaggle_train.csv"))).map((r) => r.join()).sort());

  await splitCsv(fixture("kaggle_train.csv"), { out, fractions, seed: 3, stratify: true });
  const labelsA = (await rowsOf(`${out}/a.csv`)).map((r) => r[0]);
  // labels 0 and 1 appear twice in the file: one of each goes to each half
  assert.equal(labelsA.filter((l) => l === 0).length, 1);
  assert.equal(labelsA.filter((l) => l === 1).length, 1);
  await Deno.remove(out, { recursive: true });
});
