import assert from "node:assert/strict";
import { EvaluationAccumulator } from "../../report/evaluation_accumulator.ts";

const batch = (y: number[], rows: number[]) => ({
  x: new Float32Array(y.length * 4).fill(0.5),
  y: new Int32Array(y),
  size: y.length,
  height: 2,
  width: 2,
  rows: new Int32Array(rows),
});

Deno.test("EvaluationAccumulator combines batches and lists the most confident mistakes first", () => {
  const acc = new EvaluationAccumulator({
    classes: ["a", "b", "c"],
    mistakes: 2,
    keepImages: true,
  });
  acc.add(batch([0, 1], [1, 2]), new Float32Array([0.8, 0.1, 0.1, 0.7, 0.2, 0.1]));
  acc.add(batch([2, 2], [3, 4]), new Float32Array([0.1, 0.1, 0.8, 0.05, 0.9, 0.05]));
  const e = acc.finish();
  assert.equal(e.rows, 4);
  assert.equal(e.accuracy, 2 / 4);
  assert.deepEqual(e.confusion, [[1, 0, 0], [1, 0, 0], [0, 1, 1]]);
  assert.deepEqual(e.mistakes.map((m) => [m.row, m.true, m.predicted]), [[4, "c", "b"], [
    2,
    "b",
    "a",
  ]]);
  assert.ok(Math.abs(e.mistakes[0]!.probability - 0.9) < 1e-6);
  const images = acc.images();
  assert.equal(images.mistakes.length, 2);
  assert.equal(images.samples[2]!.length, 2);
  assert.equal(images.rawHistogram[128], 16); // 0.5 · 255 rounds to 128
});

Deno.test("EvaluationAccumulator rejects unlabelled rows with a message naming the row", () => {
  const acc = new EvaluationAccumulator({ classes: ["0", "1"] });
  assert.throws(
    () => acc.add(batch([-1], [7]), new Float32Array([0.5, 0.5])),
    /row 7 has label -1.*needs labelled data/,
  );
});
