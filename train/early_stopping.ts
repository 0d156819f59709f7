import { MetricMonitor, type MonitorState } from "./metric_monitor.ts";

/**
 * EarlyStopping: stop when the monitored metric has not improved for `patience` epochs
 * (0: never). Restoring the best weights is the training loop's job (it reloads `best/`).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { EarlyStopping } from "./early_stopping.ts";
 * const stop = new EarlyStopping({ monitor: "val_acc", patience: 1 });
 * assert.ok(!stop.onEpochEnd({ val_acc: 0.9 }, 1));
 * assert.ok(stop.onEpochEnd({ val_acc: 0.8 }, 2));
 * ```
 */
export class EarlyStopping {
  readonly patience: number;
  readonly monitor: MetricMonitor;

  constructor(options: { monitor: string; patience: number; state?: MonitorState }) {
    this.patience = options.patience;
    this.monitor = new MetricMonitor(options.monitor, options.state);
  }

  /** Records an epoch; true when training should stop now. */
  onEpochEnd(metrics: Readonly<Record<string, number>>, epoch: number): boolean {
    if (this.patience <= 0) return false;
    this.monitor.update(metrics, epoch);
    return this.monitor.state.wait >= this.patience;
  }
}
