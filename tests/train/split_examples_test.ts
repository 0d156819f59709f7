import assert from "node:assert/strict";
import type { Example } from "../../pipeline/types.ts";
import { splitExamples } from "../../train/split_examples.ts";

const examples: Example[] = Array.from({ length: 100 }, (_, i) => ({
  pixels: new Uint8Array([i]),
  label: i < 80 ? 0 : 1,
  source: { file: "x.csv", line: i + 2 },
}));

Deno.test("splitExamples holds out the fraction, repeatably for a seed", () => {
  const a = splitExamples(examples, 0.2, { seed: 1 });
  const b = splitExamples(examples, 0.2, { seed: 1 });
  const c = splitExamples(examples, 0.2, { seed: 2 });
  assert.equal(a.valid.length, 20);
  assert.equal(a.train.length, 80);
  assert.deepEqual(a.valid.map((e) => e.pixels[0]), b.valid.map((e) => e.pixels[0]));
  assert.notDeepEqual(a.valid.map((e) => e.pixels[0]), c.valid.map((e) => e.pixels[0]));
  const all = [...a.train, ...a.valid].map((e) => e.pixels[0]).sort((x, y) => x! - y!);
  assert.deepEqual(all, examples.map((e) => e.pixels[0]));
});

Deno.test("splitExamples with stratify holds out the same fraction of every class", () => {
  for (let seed = 0; seed < 5; seed++) {
    const { valid } = splitExamples(examples, 0.25, { seed, stratify: true });
    assert.equal(valid.filter((e) => e.label === 0).length, 20);
    assert.equal(valid.filter((e) => e.label === 1).length, 5);
  }
});

Deno.test("splitExamples rejects a fraction outside [0, 1)", () => {
  assert.throws(() => splitExamples(examples, 1, { seed: 0 }), /must lie in \[0, 1\), got 1/);
  assert.equal(splitExamples(examples, 0, { seed: 0 }).valid.length, 0);
});
