import assert from "node:assert/strict";
import { resolveConfig } from "../../train/resolve_config.ts";
import { deriveTrainingDefaults } from "../../train/derive_training_defaults.ts";
import { describeTrainingDefaults } from "../../train/describe_training_defaults.ts";

const base = resolveConfig();

Deno.test("deriveTrainingDefaults leaves full MNIST exactly at the default preset", () => {
  const d = deriveTrainingDefaults({ rows: 60000, height: 28, width: 28, numClasses: 10 }, base);
  assert.deepEqual({ ...base, ...d.values }, { ...base, model: "compact-cnn" });
  assert.equal(
    describeTrainingDefaults(d, { ...base, ...d.values }),
    "60,000 rows: 8 epochs (about 7,100 steps), random 5% validation (3,000 rows), " +
      "no early stopping, model compact-cnn for 28×28 (MNIST-sized images)",
  );
});

Deno.test("deriveTrainingDefaults gives a 1,300-row 8×8 set a step budget, a 15% split and early stopping", () => {
  const d = deriveTrainingDefaults({ rows: 1300, height: 8, width: 8, numClasses: 10 }, base);
  assert.deepEqual(d.values, {
    validSplit: 0.15,
    stratify: true,
    epochs: 67,
    epochDecay: Math.round(0.75 ** (7 / 66) * 1e4) / 1e4,
    patience: 17,
    restoreBest: true,
    model: "digits8-cnn",
    rotation: 0,
    zoom: 0,
    widthShift: 0,
    heightShift: 0,
  });
  assert.deepEqual(d.augmentChanges, ["no augmentation for 8×8"]);
  assert.deepEqual([d.trainRows, d.validRows, d.steps], [1105, 195, 67 * 18]);
});

Deno.test("deriveTrainingDefaults gives a 1,000-row 28×28 set compact-cnn with the step floor", () => {
  const d = deriveTrainingDefaults({ rows: 1000, height: 28, width: 28, numClasses: 10 }, base);
  assert.equal(d.values.model, "compact-cnn");
  const epochs = Math.ceil(1200 / Math.ceil(850 / 64));
  assert.equal(d.values.epochs, epochs);
  assert.equal(d.values.patience, Math.round(epochs / 4));
  assert.equal(d.values.widthShift, undefined);
});

Deno.test("deriveTrainingDefaults never changes what the user set; --epochs turns off early stopping", () => {
  const explicit = new Set(["epochs", "model", "validSplit", "widthShift"]);
  const user = { ...base, epochs: 30, model: "mlp", validSplit: 0.3, widthShift: 0.05 };
  const d = deriveTrainingDefaults(
    { rows: 1300, height: 8, width: 8, numClasses: 10 },
    user,
    explicit,
  );
  for (const key of explicit) assert.ok(!(key in d.values), key);
  assert.equal(d.values.patience, undefined);
  assert.equal(d.values.stratify, true);
  assert.equal(d.values.rotation, undefined, "the user's augmentation is left as it is");
  assert.equal(d.validRows, 390);
  assert.equal(d.steps, 30 * Math.ceil(910 / 64));
  assert.equal(d.modelReason, null);
  // The preset's decay (0.75 per epoch over 8 epochs) is stretched over the user's 30 epochs.
  const stretched = deriveTrainingDefaults(
    { rows: 1300, height: 8, width: 8, numClasses: 10 },
    user,
    explicit,
    8,
  );
  assert.equal(stretched.values.epochDecay, Math.round(0.75 ** (7 / 29) * 1e4) / 1e4);
  const fixedDecay = deriveTrainingDefaults(
    { rows: 1300, height: 8, width: 8, numClasses: 10 },
    { ...user, epochDecay: 0.9 },
    new Set([...explicit, "epochDecay"]),
    8,
  );
  assert.equal(fixedDecay.values.epochDecay, undefined);
  assert.equal(
    describeTrainingDefaults(d, { ...user, ...d.values }),
    "1,300 rows: 30 epochs (about 450 steps), stratified 30% validation (390 rows), no early " +
      "stopping, model mlp",
  );
});

Deno.test("deriveTrainingDefaults with a --valid file splits nothing off and judges its size", () => {
  const d = deriveTrainingDefaults(
    { rows: 1300, height: 8, width: 8, numClasses: 10, validRows: 100 },
    { ...base, valid: "valid.csv" },
  );
  assert.equal(d.values.validSplit, undefined);
  assert.equal(d.trainRows, 1300);
  assert.equal(d.values.patience, undefined, "100 rows are under 15 per class");
});

Deno.test("describeTrainingDefaults says a fitted model (knn) has no epochs and no early stopping", () => {
  const user = resolveConfig({ flags: { model: "knn" } });
  const d = deriveTrainingDefaults(
    { rows: 1500, height: 28, width: 28, numClasses: 10 },
    user,
    new Set(["model"]),
  );
  assert.equal(
    describeTrainingDefaults(d, { ...user, ...d.values }),
    "1,500 rows: fitted in one pass (no epochs), stratified 15% validation (225 rows), model knn",
  );
});
