import assert from "node:assert/strict";
import { ensureEmbeddedMnist } from "../../data/embedded_mnist.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import { TakeStream } from "../../pipeline/take_stream.ts";

Deno.test("ensureEmbeddedMnist writes Kaggle CSVs once, safely for concurrent callers", async () => {
  // Two callers at once (as parallel tests do) must both get complete files.
  const [a, b] = await Promise.all([ensureEmbeddedMnist(), ensureEmbeddedMnist()]);
  assert.deepEqual(a, b);
  assert.equal(a.trainFiles.length, 10);
  const first = await Array.fromAsync(
    readExamples({ files: a.trainFiles }).pipeThrough(new TakeStream(2)),
  );
  assert.deepEqual(first.map((e) => e.label), [5, 0]);
  assert.equal(first[0]!.pixels.length, 784);

  const header = (await Deno.readTextFile(a.testFile)).slice(0, 20);
  assert.ok(header.startsWith("pixel0,pixel1,"));
  const labels = (await Deno.readTextFile(a.testLabelsFile)).split("\n");
  assert.deepEqual(labels.slice(0, 3), ["ImageId,Label", "1,7", "2,2"]);
  assert.equal(labels.length, 10002); // header, 10,000 rows, final newline
  let rows = 0;
  let firstLabel = -1;
  for await (const e of readExamples({ files: a.testLabelledFile })) {
    if (rows++ === 0) firstLabel = e.label;
  }
  assert.equal(rows, 10000);
  assert.equal(firstLabel, 7);
  const leftovers = [];
  for await (const entry of Deno.readDir(a.dir)) {
    if (entry.name.endsWith(".tmp")) leftovers.push(entry.name);
  }
  assert.deepEqual(leftovers, []);
});

Deno.test("ensureEmbeddedMnist into a fresh folder: concurrent writers leave complete files", async () => {
  const dir = await Deno.makeTempDir();
  const [a, b] = await Promise.all([
    ensureEmbeddedMnist({ dir, shards: 2 }),
    ensureEmbeddedMnist({ dir, shards: 2 }),
  ]);
  assert.deepEqual(a, b);
  assert.deepEqual(a.trainFiles.map((f) => f.slice(dir.length)), [
    "/train/train_00.csv",
    "/train/train_01.csv",
  ]);
  const sizes = await Promise.all(a.trainFiles.map(async (f) => (await Deno.stat(f)).size));
  assert.ok(sizes.every((s) => s > 50e6), `shard sizes ${sizes}`);
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  assert.deepEqual(names.sort(), [
    "ready.json",
    "test.csv",
    "test_labelled.csv",
    "test_labels.csv",
    "train",
  ]);
  await Deno.remove(dir, { recursive: true });
});
