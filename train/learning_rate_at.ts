import type { TrainConfig } from "./config.ts";

/**
 * The scheduled learning rate before a training step: constant; exponential decay per step
 * (seed 001: 1e-4 × 0.91 every 255 steps, staircase); or a per-epoch multiplier (Deotte: 1e-3 ×
 * 0.95^epoch). `epoch` is 0-based; `step` counts steps since the start (or the optimizer switch).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { learningRateAt } from "./learning_rate_at.ts";
 * const s = { schedule: "epoch", lr: 1e-3, epochDecay: 0.5, decayRate: 1, decaySteps: 1 };
 * assert.ok(learningRateAt(s, 2, 0) === 2.5e-4);
 * ```
 */
export function learningRateAt(
  config: Pick<TrainConfig, "schedule" | "lr" | "decayRate" | "decaySteps" | "epochDecay">,
  epoch: number,
  step: number,
): number {
  switch (config.schedule) {
    case "constant":
      return config.lr;
    case "exponential":
      return config.lr * config.decayRate ** Math.floor(step / config.decaySteps);
    case "epoch":
      return config.lr * config.epochDecay ** epoch;
    default:
      throw new RangeError(
        `unknown schedule '${config.schedule}': expected constant, exponential or epoch`,
      );
  }
}
