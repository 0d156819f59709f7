import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadRun, saveRun } from "../../models/model_io.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Example } from "../../pipeline/types.ts";
import { fitKnn } from "../../train/fit_knn.ts";
import { tempDir, tinyManifest } from "../predict/_tiny_run.ts";

await tf.setBackend("cpu");

const FIXTURE = new URL("../fixtures/csv/mnist8/", import.meta.url).pathname;

async function read(file: string): Promise<Example[]> {
  const rows: Example[] = [];
  const format = { header: false, labelColumn: "last", pixelMax: 16 };
  for await (const e of readExamples({ files: FIXTURE + file, format })) rows.push(e);
  return rows;
}

function predict(model: tf.LayersModel, rows: Example[]): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor4d(rows.flatMap((e) => Array.from(e.pixels, (v) => v / 255)), [
      rows.length,
      8,
      8,
      1,
    ]);
    return (model.predict(x) as tf.Tensor).arraySync() as number[][];
  });
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

Deno.test("fitKnn stores the 8×8 fixture's rows, picks τ and beats 75% on its test rows", async () => {
  const train = await read("train.csv");
  const test = await read("test.csv");
  const before = tf.memory().numTensors;
  const fit = fitKnn(train, { inputShape: [8, 8, 1], numClasses: 10, seed: 1 });
  assert.equal(fit.rows, 300);
  assert.ok(fit.temperature > 0 && fit.looAccuracy > 0.7, JSON.stringify(fit));
  const probs = predict(fit.model, test);
  const acc = probs.filter((p, i) => argmax(p) === test[i]!.label).length / test.length;
  assert.ok(acc > 0.75, `test accuracy ${acc}`);
  probs.forEach((p) => assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4));

  const dir = await tempDir();
  await saveRun(dir, fit.model, { ...tinyManifest("knn"), inputShape: [8, 8, 1], pixelMax: 16 });
  const loaded = await loadRun(dir);
  assert.deepEqual(predict(loaded.models[0]!, test), probs);
  loaded.models[0]!.dispose();
  fit.model.dispose();
  assert.equal(tf.memory().numTensors, before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fitKnn stores at most maxRows rows (a seeded draw) and keeps a given τ", async () => {
  const train = await read("train.csv");
  const a = fitKnn(train, {
    inputShape: [8, 8, 1],
    numClasses: 10,
    seed: 4,
    maxRows: 50,
    temperature: 0.5,
  });
  const b = fitKnn(train, { inputShape: [8, 8, 1], numClasses: 10, seed: 4, maxRows: 50 });
  assert.equal(a.rows, 50);
  assert.equal(a.temperature, 0.5);
  assert.ok(Number.isNaN(a.looAccuracy));
  assert.equal(a.model.countParams(), 64 * 50 + 50 + 50 * 10);
  // Same seed, same rows: the vote kernels (one-hot labels) agree.
  const votes = (m: tf.LayersModel) => Array.from(m.getWeights().at(-1)!.dataSync());
  assert.deepEqual(votes(a.model), votes(b.model));
  a.model.dispose();
  b.model.dispose();
  assert.throws(
    () => fitKnn([], { inputShape: [8, 8, 1], numClasses: 10, seed: 1 }),
    /needs at least one training row/,
  );
});
