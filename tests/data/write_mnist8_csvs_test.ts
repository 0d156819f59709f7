import assert from "node:assert/strict";
import { writeMnist8Csvs } from "../../data/write_mnist8_csvs.ts";
import { readExamples } from "../../pipeline/read_examples.ts";

Deno.test("writeMnist8Csvs writes headerless optdigits-like rows that the pipeline reads", async () => {
  const out = await Deno.makeTempDir();
  const files = await writeMnist8Csvs({ out, trainRows: 40, testRows: 10, seed: 3 });
  assert.deepEqual([files.train.rows, files.test.rows], [40, 10]);
  const format = { header: false, labelColumn: "last", pixelMax: 16 };
  const train = await Array.fromAsync(readExamples({ files: files.train.path, format }));
  const test = await Array.fromAsync(readExamples({ files: files.test.path, format }));
  assert.equal(train.length, 40);
  assert.equal(test.length, 10);
  assert.ok(train.every((e) => e.pixels.length === 64 && e.label >= 0 && e.label <= 9));
  assert.ok(new Set(train.map((e) => e.label)).size >= 8, "a random draw covers most digits");
  // Every field is an integer 0..16 and the class comes last.
  const line = (await Deno.readTextFile(files.train.path)).split("\n")[0]!.split(",").map(Number);
  assert.equal(line.length, 65);
  assert.ok(line.slice(0, 64).every((v) => Number.isInteger(v) && v >= 0 && v <= 16));
  // The same seed gives the same files, another seed another draw.
  const again = await Deno.makeTempDir();
  await writeMnist8Csvs({ out: again, trainRows: 40, testRows: 10, seed: 3 });
  assert.equal(
    await Deno.readTextFile(`${again}/train.csv`),
    await Deno.readTextFile(files.train.path),
  );
  await writeMnist8Csvs({ out: again, trainRows: 40, testRows: 10, seed: 4 });
  assert.notEqual(
    await Deno.readTextFile(`${again}/train.csv`),
    await Deno.readTextFile(files.train.path),
  );
  await Deno.remove(out, { recursive: true });
  await Deno.remove(again, { recursive: true });
});

Deno.test("writeMnist8Csvs refuses more rows than MNIST has, writing nothing", async () => {
  const out = await Deno.makeTempDir();
  await assert.rejects(
    () => writeMnist8Csvs({ out, trainRows: 70000 }),
    /the train draw needs 1\.\.60000 rows, got 70000/,
  );
  assert.deepEqual(await Array.fromAsync(Deno.readDir(out)), []);
  await Deno.remove(out, { recursive: true });
});
