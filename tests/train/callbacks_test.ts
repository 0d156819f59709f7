import assert from "node:assert/strict";
import { EarlyStopping } from "../../train/early_stopping.ts";
import { learningRateAt } from "../../train/learning_rate_at.ts";
import { MetricMonitor } from "../../train/metric_monitor.ts";
import { OptimizerSwitch } from "../../train/optimizer_switch.ts";
import { ReduceLrOnPlateau } from "../../train/reduce_lr_on_plateau.ts";

Deno.test("MetricMonitor minimises losses and maximises accuracies", () => {
  const loss = new MetricMonitor("val_loss");
  loss.update({ val_loss: 0.5 }, 1);
  assert.equal(loss.update({ val_loss: 0.4 }, 2), true);
  assert.deepEqual(loss.state, { best: 0.4, bestEpoch: 2, wait: 0 });
  const acc = new MetricMonitor("acc");
  acc.update({ acc: 0.9 }, 1);
  assert.equal(acc.update({ acc: 0.8 }, 2), false);
  assert.equal(acc.state.wait, 1);
});

Deno.test("MetricMonitor says which metrics exist when the monitored one is missing", () => {
  assert.throws(
    () => new MetricMonitor("val_acc").update({ loss: 1, acc: 0.5 }, 1),
    /cannot monitor 'val_acc': this run reports loss, acc \(set --valid-split or --valid\)/,
  );
});

Deno.test("EarlyStopping stops after `patience` epochs without improvement", () => {
  const stop = new EarlyStopping({ monitor: "val_loss", patience: 2 });
  assert.equal(stop.onEpochEnd({ val_loss: 1 }, 1), false);
  assert.equal(stop.onEpochEnd({ val_loss: 2 }, 2), false);
  assert.equal(stop.onEpochEnd({ val_loss: 3 }, 3), true);
  assert.equal(stop.monitor.state.bestEpoch, 1);
  assert.equal(
    new EarlyStopping({ monitor: "loss", patience: 0 }).onEpochEnd({ loss: 1 }, 1),
    false,
  );
});

Deno.test("ReduceLrOnPlateau cuts the rate after a plateau, not below minLr", () => {
  const plateau = new ReduceLrOnPlateau({
    monitor: "val_loss",
    patience: 1,
    factor: 0.1,
    minLr: 5e-5,
  });
  plateau.onEpochEnd({ val_loss: 1 }, 1);
  assert.equal(plateau.apply(1e-3), 1e-3);
  assert.equal(plateau.onEpochEnd({ val_loss: 1 }, 2), true);
  assert.ok(Math.abs(plateau.apply(1e-3) - 1e-4) < 1e-12);
  plateau.onEpochEnd({ val_loss: 1 }, 3);
  assert.equal(plateau.apply(1e-3), 5e-5);
  const resumed = new ReduceLrOnPlateau({ ...plateau, monitor: "val_loss", state: plateau.state });
  assert.equal(resumed.apply(1e-3), 5e-5);
});

Deno.test("OptimizerSwitch fires once, after N epochs or on a plateau", () => {
  const after = new OptimizerSwitch({ to: "sgd", after: 2, patience: 0, monitor: "loss" });
  assert.deepEqual([1, 2, 3].map((e) => after.onEpochEnd({ loss: 1 }, e)), [false, true, false]);
  const plateau = new OptimizerSwitch({ to: "sgd", after: 0, patience: 1, monitor: "loss" });
  assert.equal(plateau.onEpochEnd({ loss: 1 }, 1), false);
  assert.equal(plateau.onEpochEnd({ loss: 1.1 }, 2), true);
  const off = new OptimizerSwitch({ to: "none", after: 1, patience: 1, monitor: "loss" });
  assert.equal(off.onEpochEnd({ loss: 1 }, 5), false);
});

Deno.test("learningRateAt follows the constant, exponential and per-epoch schedules", () => {
  const base = { lr: 1e-4, decayRate: 0.91, decaySteps: 255, epochDecay: 0.95 };
  assert.equal(learningRateAt({ ...base, schedule: "constant" }, 3, 999), 1e-4);
  assert.equal(learningRateAt({ ...base, schedule: "exponential" }, 0, 254), 1e-4);
  assert.ok(
    Math.abs(learningRateAt({ ...base, schedule: "exponential" }, 0, 510) - 1e-4 * 0.91 ** 2) <
      1e-15,
  );
  assert.ok(
    Math.abs(learningRateAt({ ...base, lr: 1e-3, schedule: "epoch" }, 2, 0) - 1e-3 * 0.95 ** 2) <
      1e-15,
  );
  assert.throws(
    () => learningRateAt({ ...base, schedule: "cosine" }, 0, 0),
    /unknown schedule 'cosine'/,
  );
});
