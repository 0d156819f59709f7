/** What {@link deriveEpochs} decided. */
export interface DerivedEpochs {
  /** Passes over the training rows. */
  epochs: number;
  /** Optimizer steps per epoch: ⌈train rows / batch size⌉. */
  stepsPerEpoch: number;
  /** epochs × stepsPerEpoch. */
  steps: number;
  /**
   * The per-epoch learning-rate factor that stretches the base schedule over `epochs`: the last
   * epoch runs at the same fraction of the initial rate as the base schedule's last epoch.
   */
  epochDecay: number;
  /** True when the step floor raised the epoch count above the base. */
  raised: boolean;
}

/** Optimizer steps every run gets at least (when the base epoch count gives fewer). */
export const MIN_TRAINING_STEPS = 1200;
/** The most epochs the floor leads to (tiny sets: early stopping usually ends them sooner). */
export const MAX_DERIVED_EPOCHS = 200;

/**
 * The epoch budget from the data size: the base epoch count (the default preset's 8, sized for
 * MNIST's 57,000 training rows: 7,128 steps), raised so that small sets get at least
 * {@link MIN_TRAINING_STEPS} steps, at most {@link MAX_DERIVED_EPOCHS} epochs. The base per-epoch
 * decay (lr × decay^epoch) is stretched over the new count so the rate ends where the base
 * schedule ends (0.75^7 ≈ 0.13 of the initial rate): with the base count nothing changes. With
 * `fixedEpochs` (the user's `--epochs`) the count is the user's and only the decay is stretched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveEpochs } from "./derive_epochs.ts";
 * const mnist = deriveEpochs({ trainRows: 57000, batchSize: 64, baseEpochs: 8, baseEpochDecay: 0.75 });
 * assert.deepEqual([mnist.epochs, mnist.epochDecay, mnist.raised], [8, 0.75, false]);
 * const small = deriveEpochs({ trainRows: 1105, batchSize: 64, baseEpochs: 8, baseEpochDecay: 0.75 });
 * assert.deepEqual([small.epochs, small.stepsPerEpoch, small.raised], [67, 18, true]);
 * ```
 */
export function deriveEpochs(input: {
  /** Training rows after the validation split. */
  trainRows: number;
  batchSize: number;
  /** The preset's epoch count (8 for the default preset). */
  baseEpochs: number;
  /** The preset's per-epoch decay (0.75 for the default preset; 1 for a constant rate). */
  baseEpochDecay: number;
  /** Override {@link MIN_TRAINING_STEPS}. */
  minSteps?: number;
  /** Override {@link MAX_DERIVED_EPOCHS}. */
  maxEpochs?: number;
  /** The user's `--epochs`: no floor, but the decay is still stretched over this count. */
  fixedEpochs?: number;
}): DerivedEpochs {
  const { trainRows, batchSize, baseEpochs, baseEpochDecay } = input;
  if (!(trainRows >= 1 && batchSize >= 1 && baseEpochs >= 1)) {
    throw new RangeError(
      `deriveEpochs needs at least one training row, batch size and epoch, got ` +
        `${trainRows} rows, batch ${batchSize}, ${baseEpochs} epochs`,
    );
  }
  const minSteps = input.minSteps ?? MIN_TRAINING_STEPS;
  const maxEpochs = Math.max(baseEpochs, input.maxEpochs ?? MAX_DERIVED_EPOCHS);
  const stepsPerEpoch = Math.ceil(trainRows / batchSize);
  const needed = Math.ceil(minSteps / stepsPerEpoch);
  const epochs = input.fixedEpochs ?? Math.min(maxEpochs, Math.max(baseEpochs, needed));
  const raised = input.fixedEpochs === undefined && epochs > baseEpochs;
  // The base schedule ends at baseEpochDecay^(baseEpochs − 1); the stretched one at the same.
  const epochDecay = epochs !== baseEpochs && epochs > 1 && baseEpochs > 1
    ? baseEpochDecay ** ((baseEpochs - 1) / (epochs - 1))
    : baseEpochDecay;
  return { epochs, stepsPerEpoch, steps: epochs * stepsPerEpoch, epochDecay, raised };
}
