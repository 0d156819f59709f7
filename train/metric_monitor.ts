/** What a callback remembers between epochs (saved in the checkpoint for `--resume`). */
export interface MonitorState {
  best: number | null;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * Follows one metric across epochs: the best value, its epoch, and how many epochs have passed
 * without improvement. Losses improve downwards, accuracies upwards. The base of EarlyStopping,
 * ReduceLROnPlateau, the optimizer switch and the best-epoch checkpoint.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { MetricMonitor } from "./metric_monitor.ts";
 * const m = new MetricMonitor("val_loss");
 * assert.ok(m.update({ val_loss: 0.5 }, 1) === true);
 * assert.ok(m.update({ val_loss: 0.6 }, 2) === false && m.state.wait === 1);
 * ```
 */
export class MetricMonitor {
  readonly metric: string;
  readonly mode: "min" | "max";
  state: MonitorState = { best: null, bestEpoch: 0, wait: 0 };

  constructor(metric: string, state?: MonitorState) {
    this.metric = metric;
    this.mode = metric.endsWith("loss") ? "min" : "max";
    if (state) this.state = { ...state };
  }

  /** Records epoch `epoch`'s metrics; true when the monitored one improved. */
  update(metrics: Readonly<Record<string, number>>, epoch: number): boolean {
    const value = metrics[this.metric];
    if (value === undefined || Number.isNaN(value)) {
      throw new RangeError(
        `cannot monitor '${this.metric}': this run reports ${Object.keys(metrics).join(", ")}` +
          (this.metric.startsWith("val_") ? " (set --valid-split or --valid)" : ""),
      );
    }
    const best = this.state.best;
    const improved = best === null || (this.mode === "min" ? value < best : value > best);
    if (improved) this.state = { best: value, bestEpoch: epoch, wait: 0 };
    else this.state = { ...this.state, wait: this.state.wait + 1 };
    return improved;
  }

  /** Starts counting again (after the rate was cut or the optimizer switched). */
  resetWait(): void {
    this.state = { ...this.state, wait: 0 };
  }
}
