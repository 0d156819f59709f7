import assert from "node:assert/strict";
import { splitRows } from "../../pipeline/split_rows.ts";

const labels = Array.from({ length: 100 }, (_, i) => i % 4);

Deno.test("splitRows puts every row on exactly one side, the same for the same seed", () => {
  const a = splitRows(labels, 0.2, { seed: 3 });
  const b = splitRows(labels, 0.2, { seed: 3 });
  const c = splitRows(labels, 0.2, { seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.valid, c.valid);
  assert.equal(a.valid.reduce((s, v) => s + v, 0), 20);
  assert.ok(a.train.every((t, i) => t + a.valid[i]! === 1));
});

Deno.test("splitRows with stratify holds out the same fraction of every class", () => {
  const { valid } = splitRows(labels, 0.2, { seed: 1, stratify: true });
  const perClass = [0, 0, 0, 0];
  valid.forEach((v, i) => (perClass[labels[i]!]! += v));
  assert.deepEqual(perClass, [5, 5, 5, 5]);
});

Deno.test("splitRows rejects a fraction outside [0, 1) and a split that leaves no training row", () => {
  assert.throws(() => splitRows(labels, 1, { seed: 1 }), RangeError);
  assert.throws(() => splitRows([0], 0.9, { seed: 1 }), /leaves no training rows out of 1/);
  assert.deepEqual(splitRows([0, 1], 0, { seed: 1 }).valid, Uint8Array.of(0, 0));
});
