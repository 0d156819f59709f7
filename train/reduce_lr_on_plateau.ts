import { MetricMonitor, type MonitorState } from "./metric_monitor.ts";

/** ReduceLROnPlateau's saved state: the monitor and the current multiplier of the rate. */
export interface PlateauState {
  monitor: MonitorState;
  scale: number;
}

/**
 * ReduceLROnPlateau (seed 000): when the monitored metric has not improved for `patience` epochs,
 * multiply the learning rate by `factor`, never below `minLr`. It keeps a multiplier (`scale`) that
 * the loop applies on top of the schedule.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ReduceLrOnPlateau } from "./reduce_lr_on_plateau.ts";
 * const plateau = new ReduceLrOnPlateau({ monitor: "val_loss", patience: 1, factor: 0.5, minLr: 0 });
 * plateau.onEpochEnd({ val_loss: 0.3 }, 1);
 * plateau.onEpochEnd({ val_loss: 0.4 }, 2);
 * assert.ok(plateau.state.scale === 0.5);
 * ```
 */
export class ReduceLrOnPlateau {
  readonly patience: number;
  readonly factor: number;
  readonly minLr: number;
  readonly monitor: MetricMonitor;
  #scale: number;

  constructor(options: {
    monitor: string;
    patience: number;
    factor: number;
    minLr: number;
    state?: PlateauState;
  }) {
    this.patience = options.patience;
    this.factor = options.factor;
    this.minLr = options.minLr;
    this.monitor = new MetricMonitor(options.monitor, options.state?.monitor);
    this.#scale = options.state?.scale ?? 1;
  }

  /** The state to checkpoint. */
  get state(): PlateauState {
    return { monitor: { ...this.monitor.state }, scale: this.#scale };
  }

  /** Records an epoch; true when the rate was just cut. */
  onEpochEnd(metrics: Readonly<Record<string, number>>, epoch: number): boolean {
    if (this.patience <= 0) return false;
    this.monitor.update(metrics, epoch);
    if (this.monitor.state.wait < this.patience) return false;
    this.monitor.resetWait();
    this.#scale *= this.factor;
    return true;
  }

  /** Applies the multiplier to a scheduled rate, with the `minLr` floor once a cut happened. */
  apply(lr: number): number {
    return this.#scale === 1 ? lr : Math.max(lr * this.#scale, this.minLr);
  }

  /** Forgets the cuts (after an optimizer switch sets a new rate). */
  reset(): void {
    this.#scale = 1;
    this.monitor.resetWait();
  }
}
