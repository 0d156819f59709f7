import assert from "node:assert/strict";
import { deriveValidationSplit } from "../../train/derive_validation_split.ts";

Deno.test("deriveValidationSplit holds out 15% of small sets, stratified, and picks epochs by it", () => {
  assert.deepEqual(deriveValidationSplit({ rows: 1300, numClasses: 10 }), {
    fraction: 0.15,
    validRows: 195,
    stratify: true,
    canPickEpochs: true,
  });
  const thousand = deriveValidationSplit({ rows: 1000, numClasses: 10 });
  assert.deepEqual([thousand.fraction, thousand.validRows, thousand.canPickEpochs], [
    0.15,
    150,
    true,
  ]);
});

Deno.test("deriveValidationSplit aims at 1,000 rows in between and 5% of large sets, unstratified", () => {
  assert.equal(deriveValidationSplit({ rows: 10000, numClasses: 10 }).fraction, 0.1);
  assert.equal(deriveValidationSplit({ rows: 15000, numClasses: 10 }).fraction, 0.07);
  const mnist = deriveValidationSplit({ rows: 60000, numClasses: 10 });
  assert.deepEqual(mnist, {
    fraction: 0.05,
    validRows: 3000,
    stratify: false,
    canPickEpochs: true,
  });
  assert.equal(deriveValidationSplit({ rows: 19999, numClasses: 10 }).stratify, true);
});

Deno.test("deriveValidationSplit does not pick epochs on a validation set under 15 rows per class", () => {
  const small = deriveValidationSplit({ rows: 600, numClasses: 10 });
  assert.deepEqual([small.validRows, small.canPickEpochs], [90, false]);
  // Fewer classes need fewer rows: 2 classes × 15 = 30.
  assert.equal(deriveValidationSplit({ rows: 200, numClasses: 2 }).canPickEpochs, true);
  // 26 letters need 390 validation rows.
  assert.equal(deriveValidationSplit({ rows: 2000, numClasses: 26 }).canPickEpochs, false);
  assert.throws(() => deriveValidationSplit({ rows: 0, numClasses: 10 }), /positive row count/);
});
