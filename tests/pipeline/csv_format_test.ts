import assert from "node:assert/strict";
import { resolveCsvFormat } from "../../pipeline/csv_format.ts";

const pixels = (n: number) => Array.from({ length: n }, (_, i) => `pixel${i}`);

Deno.test("resolveCsvFormat detects Kaggle train and test, Kannada test and headerless files", () => {
  const train = resolveCsvFormat("train.csv", ["label", ...pixels(784)]);
  assert.equal(train.kind, "kaggle-train");
  assert.deepEqual([train.labelIndex, train.height, train.width, train.fieldCount], [
    0,
    28,
    28,
    785,
  ]);
  const test = resolveCsvFormat("test.csv", pixels(784));
  assert.equal(test.kind, "kaggle-test");
  assert.equal(test.labelIndex, -1);
  const kannada = resolveCsvFormat("test.csv", ["id", ...pixels(784)]);
  assert.equal(kannada.kind, "kannada-test");
  assert.equal(kannada.idIndex, 0);
  const headerless = resolveCsvFormat("x.csv", Array(785).fill("0"));
  assert.equal(headerless.kind, "headerless");
  assert.equal(headerless.labelIndex, 0);
  assert.equal(resolveCsvFormat("x.csv", Array(784).fill("0")).labelIndex, -1);
});

Deno.test("resolveCsvFormat takes the label column by name, index or 'last'", () => {
  const opt = resolveCsvFormat("optdigits.tra", Array(65).fill("3"), {
    labelColumn: "last",
    pixelMax: 16,
  });
  assert.deepEqual([opt.labelIndex, opt.width, opt.pixelMax, opt.kind], [64, 8, 16, "headerless"]);
  const custom = resolveCsvFormat("c.csv", [...pixels(16), "digit"], { labelColumn: "digit" });
  assert.deepEqual([custom.labelIndex, custom.kind, custom.pixelCount], [16, "custom", 16]);
  assert.equal(resolveCsvFormat("c.csv", Array(17).fill("1"), { labelColumn: 5 }).labelIndex, 5);
  assert.equal(resolveCsvFormat("h.csv", ["1", "2", "3", "4"], { header: true }).header?.length, 4);
});

Deno.test("resolveCsvFormat rejects a non-square pixel count and an unknown label column", () => {
  assert.throws(
    () => resolveCsvFormat("n.csv", ["label", ...pixels(15)]),
    (err: Error) =>
      err instanceof TypeError &&
      /n\.csv line 1: 15 pixel columns do not make a square/.test(err.message),
  );
  assert.throws(
    () => resolveCsvFormat("t.csv", ["label", ...pixels(4)], { labelColumn: "lable" }),
    /Cannot find label column 'lable' in t\.csv \(columns: label, pixel0/,
  );
  assert.throws(
    () => resolveCsvFormat("t.csv", Array(5).fill("1"), { labelColumn: 9 }),
    RangeError,
  );
});
