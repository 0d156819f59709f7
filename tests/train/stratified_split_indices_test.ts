import assert from "node:assert/strict";
import { splitExamples } from "../../train/split_examples.ts";
import { stratifiedSplitIndices } from "../../train/stratified_split_indices.ts";
import { Random } from "../../pipeline/random.ts";

function labels(n: number, classes: number, seed: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => random.int(classes));
}

Deno.test("stratifiedSplitIndices holds out the fraction of every class", () => {
  const y = labels(1300, 10, 3);
  const { train, valid } = stratifiedSplitIndices(y, 0.15, 42);
  assert.equal(train.length + valid.length, 1300);
  assert.deepEqual([...new Set([...train, ...valid])].sort((a, b) => a - b), [...y.keys()]);
  for (let c = 0; c < 10; c++) {
    const total = y.filter((l) => l === c).length;
    const held = valid.filter((i) => y[i] === c).length;
    assert.equal(held, Math.round(total * 0.15), `class ${c}`);
  }
  assert.deepEqual(valid, [...valid].sort((a, b) => a - b));
});

Deno.test("stratifiedSplitIndices draws the same rows as splitExamples with stratify", () => {
  const y = labels(500, 7, 9);
  const examples = y.map((label, i) => ({
    pixels: new Uint8Array([i % 256]),
    label,
    source: { file: "m", line: i + 1 },
  }));
  for (const seed of [0, 1, 42]) {
    const byIndex = stratifiedSplitIndices(y, 0.2, seed);
    const byExample = splitExamples(examples, 0.2, { seed, stratify: true });
    assert.deepEqual(byIndex.valid, byExample.valid.map((e) => e.source.line - 1));
  }
  assert.notDeepEqual(
    stratifiedSplitIndices(y, 0.2, 1).valid,
    stratifiedSplitIndices(y, 0.2, 2).valid,
  );
});

Deno.test("stratifiedSplitIndices keeps every row with fraction 0 and rejects bad fractions", () => {
  assert.deepEqual(stratifiedSplitIndices([1, 2, 3], 0, 1), { train: [0, 1, 2], valid: [] });
  assert.throws(() => stratifiedSplitIndices([1, 2], 1, 1), /must lie in \[0, 1\), got 1/);
  assert.throws(() => stratifiedSplitIndices([1], 0.6, 1), /leaves no training rows out of 1/);
});
