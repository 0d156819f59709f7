/**
 * One training run, written out top to bottom: data → model → epochs of steps (schedule,
 * progress) → validation → callbacks → checkpoint → test → final save. `deno task train` calls it;
 * k-fold and ensemble training (train/cross_validate.ts) call it once per member.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { createModel, resolveModelName } from "../models/create_model.ts";
import { useFastBatchNormalization } from "../models/batch_normalization.ts";
import type { Manifest } from "../models/manifest.ts";
import { saveRun } from "../models/model_io.ts";
import type { AugmentOptions } from "../pipeline/augment_options.ts";
import type { Batch } from "../pipeline/types.ts";
import { toBatches } from "../pipeline/to_batches.ts";
import {
  BEST_DIR,
  readCheckpoint,
  restoreBestWeights,
  saveCheckpoint,
  type TrainState,
} from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { createOptimizer, setLearningRate } from "./create_optimizer.ts";
import { EarlyStopping } from "./early_stopping.ts";
import { evaluateExamples } from "./evaluate_examples.ts";
import { learningRateAt } from "./learning_rate_at.ts";
import { type InMemoryExamples, loadTrainingData } from "./load_training_data.ts";
import { MetricMonitor } from "./metric_monitor.ts";
import { OptimizerSwitch } from "./optimizer_switch.ts";
import { type EpochRecord, type ProgressMode, ProgressReporter } from "./progress_reporter.ts";
import { ReduceLrOnPlateau } from "./reduce_lr_on_plateau.ts";

/** The version recorded in every manifest. */
export const DIGITS_VERSION = "0.1.0";

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** Called after each epoch's checkpoint is saved. */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Aborting stops after the current batch and saves a checkpoint (what SIGINT does). */
  signal?: AbortSignal;
  /** Train on these rows instead of reading `config.data` (k-fold, ensembles, tests). */
  examples?: InMemoryExamples;
  /** Continue the run saved in this folder (its checkpoint); `config.out` is ignored. */
  resume?: string;
  /** Progress display; default: a bar on a terminal, lines otherwise, JSON with `config.json`. */
  progress?: ProgressMode;
  /** Where progress goes (default stdout). */
  write?: (text: string) => void;
}

/** What a run leaves behind. */
export interface TrainRunResult {
  /** The run folder: the final model, its manifest, history.json, best/. */
  runDir: string;
  manifest: Manifest;
  history: EpochRecord[];
  /** True when the run was stopped by the signal (SIGINT) before its last epoch. */
  interrupted: boolean;
}

/**
 * Trains one model as `config` says and saves it to a self-describing run folder.
 *
 * @example
 * ```ts ignore
 * import { trainRun } from "./train_run.ts";
 * import { resolveConfig } from "./resolve_config.ts";
 * const { runDir, manifest } = await trainRun(resolveConfig({ preset: "quick" }));
 * console.log(runDir, manifest.metrics.final.test_acc);
 * ```
 */
export async function trainRun(
  config: TrainConfig,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  // --- setup: backend, progress, data --------------------------------------------------------
  const backend = await selectBackend(config.backend);
  const reporter = new ProgressReporter({
    mode: options.progress ?? ProgressReporter.modeFor(config.json),
    epochs: config.epochs,
    ...(options.write ? { write: options.write } : {}),
  });
  const data = await loadTrainingData(config, options.examples);
  const inputShape: [number, number, number] = [data.height, data.width, 1];
  const classes = Array.from({ length: data.numClasses }, (_, i) => String(i));
  reporter.info(`backend ${backend.name} (${backend.reason})`);
  reporter.info(
    `data: ${data.description}; ${data.train.length} train, ${data.valid.length} validation` +
      (data.test ? `, ${data.test.examples.length} test` : "") +
      `; ${data.height}×${data.width}, ${data.numClasses} classes`,
  );

  // --- model and optimizer: fresh, or from the checkpoint -------------------------------------
  let model: tf.LayersModel;
  let state: TrainState;
  let modelName: string;
  let restoreOptimizer = (_o: tf.Optimizer) => Promise.resolve();
  if (options.resume !== undefined) {
    useFastBatchNormalization();
    const checkpoint = await readCheckpoint(options.resume);
    if (checkpoint.warning) reporter.info(`warning: ${checkpoint.warning}`);
    if (checkpoint.manifest.inputShape.join("x") !== inputShape.join("x")) {
      checkpoint.model.dispose();
      throw new TypeError(
        `cannot resume ${options.resume}: it was trained on ${
          checkpoint.manifest.inputShape
            .join("×")
        } images, this data has ${inputShape.join("×")}`,
      );
    }
    modelName = checkpoint.manifest.architecture;
    model = checkpoint.model;
    state = checkpoint.state;
    restoreOptimizer = checkpoint.restoreOptimizer;
    reporter.info(`resuming ${options.resume} after epoch ${state.epoch}`);
  } else {
    modelName = resolveModelName(config.model, inputShape);
    model = createModel(modelName, { inputShape, numClasses: data.numClasses, seed: config.seed });
    state = freshState(config);
  }
  const runDir = options.resume ?? (config.out || defaultRunDir(modelName));
  let optimizer = createOptimizer(state.optimizer, state.lr, config.momentum);
  await restoreOptimizer(optimizer);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  reporter.info(`model ${modelName}: ${model.countParams().toLocaleString("en-US")} parameters`);
  reporter.info(`run folder ${runDir}`);

  // --- callbacks: best epoch, EarlyStopping, ReduceLROnPlateau, optimizer switch -------------
  const hasValid = data.valid.length > 0;
  const monitor = hasValid ? config.monitor : config.monitor.replace(/^val_/, "");
  const best = new MetricMonitor(monitor, state.best);
  const early = new EarlyStopping({
    monitor,
    patience: config.patience,
    state: state.earlyStopping,
  });
  const plateau = new ReduceLrOnPlateau({
    monitor,
    patience: config.plateauPatience,
    factor: config.plateauFactor,
    minLr: config.minLr,
    state: state.plateau,
  });
  const switcher = new OptimizerSwitch({
    to: config.switchOptimizer,
    after: config.switchAfter,
    patience: config.switchPatience,
    monitor,
    state: state.switch,
  });
  const augment = augmentOptions(config);
  const manifestFor = (metrics: Manifest["metrics"]): Manifest => ({
    formatVersion: 1,
    architecture: modelName,
    inputShape,
    pixelMax: data.pixelMax,
    classes,
    config: { ...config, out: runDir } as unknown as Record<string, unknown>,
    data: data.fingerprint,
    metrics,
    backend,
    seed: config.seed,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: DIGITS_VERSION },
    createdAt: new Date().toISOString(),
    epochsCompleted: state.epoch,
  });
  const metricsOf = (r: EpochRecord): Record<string, number> => {
    const m: Record<string, number> = { loss: r.loss, acc: r.acc };
    if (r.val_loss !== undefined) m.val_loss = r.val_loss;
    if (r.val_acc !== undefined) m.val_acc = r.val_acc;
    return m;
  };
  const bestMetrics = (): Manifest["metrics"]["best"] => {
    const r = state.history.find((h) => h.epoch === best.state.bestEpoch);
    return r ? { ...metricsOf(r), epoch: r.epoch } : {};
  };

  // --- the epochs ------------------------------------------------------------------------------
  let interrupted = false;
  let stoppedEarly = false;
  let lastTurn = performance.now();
  for (let epoch = state.epoch; epoch < config.epochs && !interrupted; epoch++) {
    const started = performance.now();
    const steps = Math.ceil(data.train.length / config.batchSize);
    let seen = 0, lossSum = 0, accSum = 0, step = 0;
    const batches = toBatches(data.train, {
      batchSize: config.batchSize,
      dropRemainder: false,
      shuffleBuffer: data.train.length,
      seed: config.seed,
      epoch,
      augment,
    });
    for await (const batch of batches) {
      state.lr = plateau.apply(
        learningRateAt(
          { ...config, lr: state.baseLr },
          epoch - state.scheduleEpoch,
          state.scheduleStep,
        ),
      );
      setLearningRate(optimizer, state.lr);
      const [loss, acc] = await trainStep(model, batch, data.numClasses);
      if (!Number.isFinite(loss)) {
        throw new RangeError(
          `the loss became ${loss} at epoch ${epoch + 1} step ${
            step + 1
          }: lower --lr (now ${state.lr})`,
        );
      }
      seen += batch.size;
      lossSum += loss * batch.size;
      accSum += acc * batch.size;
      step++;
      state.step++;
      state.scheduleStep++;
      const elapsed = (performance.now() - started) / 1000;
      reporter.step({
        epoch: epoch + 1,
        step,
        steps,
        loss: lossSum / seen,
        acc: accSum / seen,
        imagesPerSecond: seen / elapsed,
        secondsLeft: (elapsed / step) * (steps - step),
      });
      // Signals (Ctrl-C, SIGTERM) and timers are macrotasks. On the CPU backends a step settles
      // through microtasks only, so without a turn of the event loop now and then the signal
      // handler would not run, and so not abort, until the epoch's checkpoint does I/O.
      if (performance.now() - lastTurn > 200) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastTurn = performance.now();
      }
      if (options.signal?.aborted) {
        interrupted = true;
        break; // leaving for-await cancels the batch stream
      }
    }
    const trainSeconds = (performance.now() - started) / 1000;
    if (interrupted) {
      reporter.info(`\ninterrupted in epoch ${epoch + 1} after ${step} steps; saving a checkpoint`);
      await saveCheckpoint(runDir, {
        model,
        optimizer,
        manifest: manifestFor({ final: {}, best: bestMetrics() }),
        state: { ...state, interrupted: true },
      });
      break;
    }

    // Validation, then the epoch's record.
    const val = hasValid
      ? await evaluateExamples(model, data.valid, { numClasses: data.numClasses })
      : null;
    const record: EpochRecord = {
      epoch: epoch + 1,
      loss: lossSum / Math.max(1, seen),
      acc: accSum / Math.max(1, seen),
      ...(val ? { val_loss: val.loss, val_acc: val.acc } : {}),
      lr: state.lr,
      optimizer: state.optimizer,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: seen / trainSeconds,
    };
    state.history.push(record);
    state.epoch = epoch + 1;
    reporter.epochEnd(record);

    // Callbacks.
    const metrics = metricsOf(record);
    const improved = best.update(metrics, state.epoch);
    state.best = best.state;
    stoppedEarly = early.onEpochEnd(metrics, state.epoch);
    state.earlyStopping = early.monitor.state;
    if (plateau.onEpochEnd(metrics, state.epoch)) {
      reporter.info(
        `ReduceLROnPlateau: ${monitor} stalled; learning rate × ${config.plateauFactor}`,
      );
    }
    state.plateau = plateau.state;
    if (switcher.onEpochEnd(metrics, state.epoch)) {
      const lr = config.switchLr > 0 ? config.switchLr : state.lr;
      const next = createOptimizer(switcher.to, lr, config.momentum);
      model.optimizer = next;
      optimizer.dispose();
      optimizer = next;
      reporter.info(
        `switching optimizer ${state.optimizer} → ${switcher.to} (lr ${lr.toExponential(1)})`,
      );
      Object.assign(state, {
        optimizer: switcher.to,
        baseLr: lr,
        lr,
        scheduleEpoch: state.epoch,
        scheduleStep: 0,
      });
      plateau.reset();
      state.plateau = plateau.state;
    }
    state.switch = switcher.state;

    // Checkpoint: the run folder every epoch, best/ when the monitored metric improved.
    const manifest = manifestFor({ final: metrics, best: bestMetrics() });
    await saveCheckpoint(runDir, {
      model,
      optimizer,
      manifest,
      state: { ...state, interrupted: false },
    });
    if (improved) await saveRun(join(runDir, BEST_DIR), model, manifest);
    await options.onEpoch?.(record);
    if (stoppedEarly) {
      reporter.info(`EarlyStopping: ${monitor} has not improved for ${config.patience} epochs`);
      break;
    }
  }

  // --- finish: best weights, test set, final save ---------------------------------------------
  const last = state.history.at(-1);
  let final: Record<string, number> = last ? metricsOf(last) : {};
  if (!interrupted && config.restoreBest && last && best.state.bestEpoch !== last.epoch) {
    if (await restoreBestWeights(runDir, model)) {
      reporter.info(`restored the weights of epoch ${best.state.bestEpoch} (best ${monitor})`);
      final = { ...bestMetrics() } as Record<string, number>;
      delete final.epoch;
    }
  }
  if (!interrupted && data.test) {
    const test = await evaluateExamples(model, data.test.examples, { numClasses: data.numClasses });
    final = { ...final, test_loss: test.loss, test_acc: test.acc };
    reporter.info(
      `test: acc ${test.acc.toFixed(4)}  loss ${test.loss.toFixed(4)}  ` +
        `(${data.test.examples.length} images from ${data.test.file})`,
    );
  }
  const manifest = manifestFor({ final, best: bestMetrics() });
  if (!interrupted) {
    await saveCheckpoint(runDir, {
      model,
      optimizer,
      manifest,
      state: { ...state, interrupted: false },
    });
  }
  reporter.info(`saved ${runDir}`);
  // report.html + plots/ (report/write_run_report.ts): for runs that read their data (the CLI),
  // not for in-memory rows (tests, k-fold members; cross_validate reports the ensemble instead).
  if (!interrupted && options.examples === undefined) {
    try {
      const { writeRunReport } = await import("../report/write_run_report.ts");
      const testFile = data.test?.file;
      const format = {
        ...(config.header !== null ? { header: config.header } : {}),
        ...(config.labelColumn !== "" ? { labelColumn: config.labelColumn } : {}),
        ...(config.pixelMax > 0 ? { pixelMax: config.pixelMax } : {}),
      };
      const report = await writeRunReport(runDir, testFile ? { data: testFile, format } : {});
      reporter.info(`report ${report.html} (${report.plots.length} PNG plots)`);
    } catch (err) {
      reporter.info(`report not written: ${(err as Error).message}`);
    }
  }
  model.dispose();
  optimizer.dispose();
  return { runDir, manifest, history: state.history, interrupted };
}

/** One optimizer step on a batch; returns the batch's loss and accuracy. */
async function trainStep(
  model: tf.LayersModel,
  batch: Batch,
  numClasses: number,
): Promise<[number, number]> {
  const x = tf.tensor4d(batch.x, [batch.size, batch.height, batch.width, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, "int32"), numClasses));
  try {
    const out = (await model.trainOnBatch(x, y)) as number[];
    return [out[0]!, out[1]!];
  } finally {
    x.dispose();
    y.dispose();
  }
}

function freshState(config: TrainConfig): TrainState {
  return {
    formatVersion: 1,
    epoch: 0,
    step: 0,
    scheduleEpoch: 0,
    scheduleStep: 0,
    optimizer: config.optimizer,
    baseLr: config.lr,
    lr: config.lr,
    best: { best: null, bestEpoch: 0, wait: 0 },
    earlyStopping: { best: null, bestEpoch: 0, wait: 0 },
    plateau: { monitor: { best: null, bestEpoch: 0, wait: 0 }, scale: 1 },
    switch: { monitor: { best: null, bestEpoch: 0, wait: 0 }, switched: false },
    interrupted: false,
    optimizerWeights: null,
    history: [],
  };
}

function augmentOptions(config: TrainConfig): AugmentOptions | undefined {
  const options: AugmentOptions = {
    rotation: config.rotation,
    zoom: config.zoom,
    widthShift: config.widthShift,
    heightShift: config.heightShift,
    shear: config.shear,
    contrast: config.contrast,
  };
  return Object.values(options).some((v) => v > 0) ? options : undefined;
}

/** `runs/<YYYYMMDD-HHMMSS>-<model>` in local time. */
function defaultRunDir(model: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return join("runs", `${stamp}-${model}`);
}
