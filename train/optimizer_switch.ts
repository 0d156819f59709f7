import { MetricMonitor, type MonitorState } from "./metric_monitor.ts";

/** The optimizer switch's saved state. */
export interface SwitchState {
  monitor: MonitorState;
  switched: boolean;
}

/**
 * Decides when to switch optimizer (seed 003 switches Adam → SGD): after `after` epochs, or when
 * the monitored metric has not improved for `patience` epochs, whichever comes first; once.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { OptimizerSwitch } from "./optimizer_switch.ts";
 * const s = new OptimizerSwitch({ to: "sgd", after: 2, patience: 0, monitor: "val_loss" });
 * assert.ok(!s.onEpochEnd({ val_loss: 1 }, 1) && s.onEpochEnd({ val_loss: 1 }, 2));
 * ```
 */
export class OptimizerSwitch {
  readonly to: string;
  readonly after: number;
  readonly patience: number;
  readonly monitor: MetricMonitor;
  #switched: boolean;

  constructor(options: {
    to: string;
    after: number;
    patience: number;
    monitor: string;
    state?: SwitchState;
  }) {
    this.to = options.to;
    this.after = options.after;
    this.patience = options.patience;
    this.monitor = new MetricMonitor(options.monitor, options.state?.monitor);
    this.#switched = options.state?.switched ?? false;
  }

  /** The state to checkpoint. */
  get state(): SwitchState {
    return { monitor: { ...this.monitor.state }, switched: this.#switched };
  }

  /** Records epoch `epoch` (1-based, completed); true exactly once, when it is time to switch. */
  onEpochEnd(metrics: Readonly<Record<string, number>>, epoch: number): boolean {
    if (this.to === "none" || this.#switched) return false;
    let due = this.after > 0 && epoch >= this.after;
    if (this.patience > 0) {
      this.monitor.update(metrics, epoch);
      due ||= this.monitor.state.wait >= this.patience;
    }
    if (due) this.#switched = true;
    return due;
  }
}
