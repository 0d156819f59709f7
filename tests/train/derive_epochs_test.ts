import assert from "node:assert/strict";
import { deriveEpochs, MAX_DERIVED_EPOCHS, MIN_TRAINING_STEPS } from "../../train/derive_epochs.ts";

const base = { batchSize: 64, baseEpochs: 8, baseEpochDecay: 0.75 };

Deno.test("deriveEpochs keeps the base 8 epochs and decay for MNIST's 57,000 training rows", () => {
  assert.deepEqual(deriveEpochs({ ...base, trainRows: 57000 }), {
    epochs: 8,
    stepsPerEpoch: 891,
    steps: 7128,
    epochDecay: 0.75,
    raised: false,
  });
});

Deno.test("deriveEpochs raises small sets to the step floor and stretches the decay over it", () => {
  for (const trainRows of [1105, 850, 5000]) {
    const d = deriveEpochs({ ...base, trainRows });
    const perEpoch = Math.ceil(trainRows / 64);
    assert.equal(d.stepsPerEpoch, perEpoch);
    assert.equal(d.epochs, Math.ceil(MIN_TRAINING_STEPS / perEpoch));
    assert.ok(d.steps >= MIN_TRAINING_STEPS && d.steps - perEpoch < MIN_TRAINING_STEPS);
    assert.ok(d.raised);
    // The last epoch's rate is the base schedule's last: 0.75^7 of the initial rate.
    assert.ok(Math.abs(d.epochDecay ** (d.epochs - 1) - 0.75 ** 7) < 1e-9, `${trainRows}`);
  }
  assert.equal(deriveEpochs({ ...base, trainRows: 1105 }).epochs, 67);
});

Deno.test("deriveEpochs caps tiny sets at MAX_DERIVED_EPOCHS and keeps a constant rate constant", () => {
  const tiny = deriveEpochs({ ...base, trainRows: 40 });
  assert.equal(tiny.epochs, MAX_DERIVED_EPOCHS);
  assert.equal(tiny.steps, MAX_DERIVED_EPOCHS);
  assert.equal(deriveEpochs({ ...base, trainRows: 40, baseEpochDecay: 1 }).epochDecay, 1);
  assert.equal(deriveEpochs({ ...base, trainRows: 1000, minSteps: 10 }).epochs, 8);
  assert.throws(() => deriveEpochs({ ...base, trainRows: 0 }), /at least one training row/);
});

Deno.test("deriveEpochs with the user's --epochs keeps that count and stretches the decay over it", () => {
  const d = deriveEpochs({ ...base, trainRows: 57000, fixedEpochs: 20 });
  assert.deepEqual([d.epochs, d.steps, d.raised], [20, 20 * 891, false]);
  assert.ok(Math.abs(d.epochDecay ** 19 - 0.75 ** 7) < 1e-9);
  assert.equal(deriveEpochs({ ...base, trainRows: 100, fixedEpochs: 1 }).epochDecay, 0.75);
});
