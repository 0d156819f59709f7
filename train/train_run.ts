/**
 * One training run, in named steps read top to bottom: set up (backend, progress, data) → the
 * model (fresh or from a checkpoint) → the callbacks → epochs (steps on the pipeline's batches,
 * validation, callbacks, checkpoint) → best weights back → temperature scaling fitted on the
 * validation split → finish (test set, final save). The report is
 * the CLI's job (cli/train_command.ts), after the run. `deno task train` calls it;
 * k-fold and ensemble training (train/cross_validate.ts) call it once per member.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { createModel, resolveModelName } from "../models/create_model.ts";
import { useFastBatchNormalization } from "../models/batch_normalization.ts";
import { useFastConv2d } from "../models/conv2d.ts";
import { useFastDropout } from "../models/dropout.ts";
import { useFastL2 } from "../models/l2_regularizer.ts";
import type { Calibration, Manifest } from "../models/manifest.ts";
import { saveRun } from "../models/model_io.ts";
import { AUGMENT_KEYS, type AugmentOptions } from "../pipeline/augment_options.ts";
import type { Batch, Example } from "../pipeline/types.ts";
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
import { batchTensors } from "./batch_tensors.ts";
import { evaluateExamples } from "./evaluate_examples.ts";
import { fitCalibration } from "./fit_calibration.ts";
import { learningRateAt } from "./learning_rate_at.ts";
import { type InMemoryExamples, loadTrainingData } from "./load_training_data.ts";
import { inProcessFeed, type TrainingFeed, type TrainingSummary } from "./training_feed.ts";
import { openWorkerFeed } from "./worker_training_feed.ts";
import { MetricMonitor } from "./metric_monitor.ts";
import { OptimizerSwitch } from "./optimizer_switch.ts";
import { type EpochRecord, type ProgressMode, ProgressReporter } from "./progress_reporter.ts";
import { ReduceLrOnPlateau } from "./reduce_lr_on_plateau.ts";
import { runDirName } from "./run_dir_name.ts";
import { MODEL_ZOO } from "../models/model_zoo.ts";
import { svmScoresModel } from "../models/svm.ts";
import { categoricalHingeLoss } from "./categorical_hinge_loss.ts";
import { describeTrainingDefaults } from "./describe_training_defaults.ts";
import { readEmaState, saveEmaState } from "./ema_checkpoint.ts";
import { fitKnn } from "./fit_knn.ts";
import type { DeriveRequest } from "./load_training_data.ts";
import { WeightAverage } from "./weight_average.ts";

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
  /**
   * Derive the defaults from the rows read (issue 12; the CLI asks for it with the default preset
   * only). Ignored with `examples` and with `resume`.
   */
  derive?: DeriveRequest;
}

/** What a run leaves behind. */
export interface TrainRunResult {
  /** The run folder: the final model, its manifest, history.json, best/. */
  runDir: string;
  manifest: Manifest;
  history: EpochRecord[];
  /** True when the run was stopped by the signal (SIGINT) before its last epoch. */
  interrupted: boolean;
  /** The labelled file scored after training (`<memory>` for rows given in memory), or null. */
  testFile: string | null;
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
  const run = await setUp(config, options);
  try {
    let interrupted = false;
    if (run.fitted) await endEpoch(run, await validate(run, 0, run.fitted));
    const epochs = run.fitted ? 0 : run.config.epochs;
    for (let epoch = run.state.epoch; epoch < epochs; epoch++) {
      const pass = await trainEpoch(run, epoch);
      if (pass.interrupted) {
        await saveInterrupted(run, epoch, pass.steps);
        interrupted = true;
        break;
      }
      const record = await validate(run, epoch, pass);
      const stop = await endEpoch(run, record);
      await options.onEpoch?.(record);
      if (stop) break;
    }
    const final = await restoreBest(run, interrupted);
    if (!interrupted) await calibrate(run);
    const manifest = await finish(run, interrupted, final);
    const { runDir, state: { history }, data: { testFile } } = run;
    return { runDir, manifest, history, interrupted, testFile };
  } finally {
    run.feed.close();
    run.ema?.dispose();
    run.model.dispose();
    run.optimizer.dispose();
  }
}

/** Everything one run carries from step to step. */
interface _Run {
  config: TrainConfig;
  options: TrainRunOptions;
  backend: { name: string; reason: string };
  reporter: ProgressReporter;
  /** Where the batches come from: the pipeline in a Worker or in this thread. */
  feed: TrainingFeed;
  data: TrainingSummary;
  inputShape: [number, number, number];
  modelName: string;
  model: tf.LayersModel;
  /** What the optimizer steps train: `model`, or an svm's class scores (the hinge loss). */
  trainee: tf.LayersModel;
  /** The exponential moving average of the weights (`--ema`), or null. */
  ema: WeightAverage | null;
  /** For a model fitted instead of trained (knn): the one pass the fit stands for; else null. */
  fitted: _Pass | null;
  /** The derived defaults (printed line and values) when the run used them. */
  derived: Manifest["derived"] | null;
  optimizer: tf.Optimizer;
  state: TrainState;
  runDir: string;
  callbacks: _Callbacks;
  augment: AugmentOptions | undefined;
  /** Fitted after training on the validation split (none without one). */
  calibration?: Calibration;
}

interface _Callbacks {
  monitor: string;
  best: MetricMonitor;
  early: EarlyStopping;
  plateau: ReduceLrOnPlateau;
  switcher: OptimizerSwitch;
}

/** Backend, progress display, data, model and optimizer, callbacks. */
async function setUp(config: TrainConfig, options: TrainRunOptions): Promise<_Run> {
  const backend = await selectBackend(config.backend);
  const feed = await openFeed(config, options);
  const data = feed.summary;
  let derived: _Run["derived"] = null;
  if (data.derived) {
    config = { ...config, ...data.derived.values };
    derived = {
      line: describeTrainingDefaults(data.derived, config),
      values: data.derived.values as Record<string, unknown>,
    };
  }
  // A fitted model (knn) makes one pass, whatever the epochs say.
  const fits = options.resume === undefined &&
    MODEL_ZOO[resolveModelName(config.model, [data.height, data.width, 1])]?.training === "fit";
  const reporter = new ProgressReporter({
    mode: options.progress ?? ProgressReporter.modeFor(config.json),
    epochs: fits ? 1 : config.epochs,
    ...(options.write ? { write: options.write } : {}),
  });
  if (derived) reporter.info(derived.line);
  const inputShape: [number, number, number] = [data.height, data.width, 1];
  reporter.info(`backend ${backend.name} (${backend.reason})`);
  reporter.info(
    `data: ${data.description}; ${data.sizes.train} train, ${data.sizes.valid} validation` +
      (data.testFile ? `, ${data.sizes.test} test` : "") +
      `; ${data.height}×${data.width}, ${data.numClasses} classes` +
      (feed.busySeconds() === null ? "" : "; pipeline in a Worker"),
  );
  let created: Awaited<ReturnType<typeof createOrResume>>;
  try {
    created = await createOrResume(config, feed, inputShape, options.resume, reporter);
  } catch (err) {
    feed.close();
    throw err;
  }
  const { model, modelName, state, restoreOptimizer } = created;
  const runDir = options.resume ?? (config.out || runDirName(modelName));
  const optimizer = createOptimizer(state.optimizer, state.lr, config.momentum);
  await restoreOptimizer(optimizer);
  const trainee = compileTrainee(model, modelName, optimizer);
  reporter.info(`model ${modelName}: ${model.countParams().toLocaleString("en-US")} parameters`);
  reporter.info(`run folder ${runDir}`);
  return {
    trainee,
    ema: await createEma(config, model, options.resume, reporter),
    fitted: created.fitted,
    derived,
    config,
    options,
    backend,
    reporter,
    feed,
    data,
    inputShape,
    modelName,
    model,
    optimizer,
    state,
    runDir,
    callbacks: createCallbacks(config, state, data.sizes.valid > 0),
    augment: augmentOptions(config),
  };
}

/** A fresh model and state, or the model, state and optimizer of `resume`'s checkpoint. */
async function createOrResume(
  config: TrainConfig,
  feed: TrainingFeed,
  inputShape: [number, number, number],
  resume: string | undefined,
  reporter: ProgressReporter,
): Promise<{
  model: tf.LayersModel;
  modelName: string;
  state: TrainState;
  restoreOptimizer: (o: tf.Optimizer) => Promise<void>;
  fitted: _Pass | null;
}> {
  const data = feed.summary;
  if (resume === undefined) {
    const modelName = resolveModelName(config.model, inputShape);
    const fresh = { state: freshState(config), restoreOptimizer: () => Promise.resolve() };
    if (MODEL_ZOO[modelName]?.training === "fit") {
      const { model, pass } = await fitFromFeed(config, feed, inputShape, reporter);
      return { model, modelName, fitted: pass, ...fresh };
    }
    const model = createModel(modelName, {
      inputShape,
      numClasses: data.numClasses,
      seed: config.seed,
    });
    return { model, modelName, fitted: null, ...fresh };
  }
  useFastBatchNormalization();
  useFastConv2d();
  useFastDropout();
  useFastL2();
  const checkpoint = await readCheckpoint(resume);
  if (checkpoint.warning) reporter.info(`warning: ${checkpoint.warning}`);
  if (MODEL_ZOO[checkpoint.manifest.architecture]?.training === "fit") {
    checkpoint.model.dispose();
    throw new TypeError(
      `cannot resume ${resume}: a ${checkpoint.manifest.architecture} model is fitted in one ` +
        `pass, not trained in epochs; train it again without --resume`,
    );
  }
  if (checkpoint.manifest.inputShape.join("x") !== inputShape.join("x")) {
    checkpoint.model.dispose();
    throw new TypeError(
      `cannot resume ${resume}: it was trained on ${checkpoint.manifest.inputShape.join("×")} ` +
        `images, this data has ${inputShape.join("×")}`,
    );
  }
  reporter.info(`resuming ${resume} after epoch ${checkpoint.state.epoch}`);
  return {
    model: checkpoint.model,
    modelName: checkpoint.manifest.architecture,
    state: checkpoint.state,
    restoreOptimizer: checkpoint.restoreOptimizer,
    fitted: null,
  };
}

/**
 * Compiles what the optimizer steps train: for an svm (`training: "hinge"`), its class scores
 * with the multi-class hinge loss (the weights are shared with `model`, which is what gets
 * evaluated and saved); for every other model, the model itself with cross-entropy.
 */
function compileTrainee(
  model: tf.LayersModel,
  modelName: string,
  optimizer: tf.Optimizer,
): tf.LayersModel {
  const hinge = MODEL_ZOO[modelName]?.training === "hinge";
  const trainee = hinge ? svmScoresModel(model) : model;
  trainee.compile({
    optimizer,
    loss: hinge ? categoricalHingeLoss : "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  if (hinge) model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return trainee;
}

/**
 * The weight average of `--ema` (null when 0), started at the model's weights, or continued from
 * the checkpoint's `ema.bin` on `--resume`.
 */
async function createEma(
  config: TrainConfig,
  model: tf.LayersModel,
  resume: string | undefined,
  reporter: ProgressReporter,
): Promise<WeightAverage | null> {
  if (!(config.ema > 0)) return null;
  const ema = new WeightAverage(model, { decay: config.ema });
  const saved = resume === undefined ? null : await readEmaState(resume);
  if (saved !== null) {
    ema.restore(saved);
    reporter.info(`EMA ${config.ema}: continuing the average (${saved.updates} updates)`);
  } else reporter.info(`EMA ${config.ema}: validating and saving the averaged weights`);
  return ema;
}

/**
 * Fits a `knn` model (`training: "fit"`) on the training rows, read back from the feed unshuffled
 * and unaugmented; returns it with the pass its record reports (the leave-one-out accuracy of the
 * chosen vote temperature stands for the training accuracy; there is no training loss).
 */
async function fitFromFeed(
  config: TrainConfig,
  feed: TrainingFeed,
  inputShape: [number, number, number],
  reporter: ProgressReporter,
): Promise<{ model: tf.LayersModel; pass: _Pass }> {
  const started = performance.now();
  const rows: Example[] = [];
  for await (const batch of feed.batches("train", { batchSize: 500 })) {
    const pixels = batch.height * batch.width;
    for (let r = 0; r < batch.size; r++) {
      const image = new Uint8Array(pixels);
      // Batches hold pixels / 255; the rows were bytes, so rounding gives them back exactly.
      for (let p = 0; p < pixels; p++) image[p] = Math.round(batch.x[r * pixels + p]! * 255);
      rows.push({ pixels: image, label: batch.y[r]!, source: { file: "<train>", line: r + 1 } });
    }
  }
  const fit = fitKnn(rows, { inputShape, numClasses: feed.summary.numClasses, seed: config.seed });
  reporter.info(
    `knn: stored ${fit.rows.toLocaleString("en-US")} of ${rows.length.toLocaleString("en-US")} ` +
      `training rows, vote temperature ${fit.temperature.toPrecision(3)} ` +
      `(leave-one-out accuracy ${fit.looAccuracy.toFixed(4)})`,
  );
  const seconds = (performance.now() - started) / 1000;
  const acc = Number.isFinite(fit.looAccuracy) ? fit.looAccuracy : 0;
  return {
    model: fit.model,
    pass: {
      seen: rows.length,
      lossSum: 0,
      accSum: acc * rows.length,
      steps: 0,
      started,
      seconds,
      interrupted: false,
      busyBefore: feed.busySeconds() ?? 0,
    },
  };
}

/** Best epoch, EarlyStopping, ReduceLROnPlateau and the optimizer switch, from `state`. */
function createCallbacks(config: TrainConfig, state: TrainState, hasValid: boolean): _Callbacks {
  const monitor = hasValid ? config.monitor : config.monitor.replace(/^val_/, "");
  return {
    monitor,
    best: new MetricMonitor(monitor, state.best),
    early: new EarlyStopping({ monitor, patience: config.patience, state: state.earlyStopping }),
    plateau: new ReduceLrOnPlateau({
      monitor,
      patience: config.plateauPatience,
      factor: config.plateauFactor,
      minLr: config.minLr,
      state: state.plateau,
    }),
    switcher: new OptimizerSwitch({
      to: config.switchOptimizer,
      after: config.switchAfter,
      patience: config.switchPatience,
      monitor,
      state: state.switch,
    }),
  };
}

/** What one pass over the training batches gave. */
interface _Pass {
  seen: number;
  lossSum: number;
  accSum: number;
  steps: number;
  started: number;
  seconds: number;
  interrupted: boolean;
  /** The pipeline Worker's busy seconds when the epoch started (0 in-process). */
  busyBefore: number;
}

/** One epoch of optimizer steps on the pipeline's batches; stops early when the signal aborts. */
async function trainEpoch(run: _Run, epoch: number): Promise<_Pass> {
  const { config, state, reporter, data } = run;
  const pass: _Pass = {
    seen: 0,
    lossSum: 0,
    accSum: 0,
    steps: 0,
    started: performance.now(),
    seconds: 0,
    interrupted: false,
    busyBefore: run.feed.busySeconds() ?? 0,
  };
  const steps = Math.ceil(data.sizes.train / config.batchSize);
  const batches = run.feed.batches("train", {
    batchSize: config.batchSize,
    shuffleBuffer: data.sizes.train,
    seed: config.seed,
    epoch,
    augment: run.augment ?? null,
  });
  let lastTurn = performance.now();
  for await (const batch of batches) {
    const [loss, acc] = await trainStep(run, batch, epoch, pass.steps);
    pass.seen += batch.size;
    pass.lossSum += loss * batch.size;
    pass.accSum += acc * batch.size;
    pass.steps++;
    state.step++;
    state.scheduleStep++;
    const elapsed = (performance.now() - pass.started) / 1000;
    reporter.step({
      epoch: epoch + 1,
      step: pass.steps,
      steps,
      loss: pass.lossSum / pass.seen,
      acc: pass.accSum / pass.seen,
      imagesPerSecond: pass.seen / elapsed,
      secondsLeft: (elapsed / pass.steps) * (steps - pass.steps),
    });
    // Signals (Ctrl-C, SIGTERM) and timers are macrotasks. On the CPU backends a step settles
    // through microtasks only, so without a turn of the event loop now and then the signal
    // handler would not run, and so not abort, until the epoch's checkpoint does I/O.
    if (performance.now() - lastTurn > 200) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastTurn = performance.now();
    }
    if (run.options.signal?.aborted) {
      pass.interrupted = true;
      break; // leaving for-await cancels the batch stream
    }
  }
  pass.seconds = (performance.now() - pass.started) / 1000;
  return pass;
}

/** The pipeline in a Worker (files, `workerPrefetch`) or in this thread (rows in memory). */
async function openFeed(config: TrainConfig, options: TrainRunOptions): Promise<TrainingFeed> {
  const { examples } = options;
  // No derivation on --resume (the saved config is the run's) nor for rows given in memory.
  const derive = examples === undefined && options.resume === undefined
    ? options.derive
    : undefined;
  if (examples === undefined && config.workerPrefetch) {
    return await openWorkerFeed(config, undefined, derive);
  }
  return inProcessFeed(await loadTrainingData(config, examples, derive));
}

/** One optimizer step at the scheduled learning rate; returns the batch's loss and accuracy. */
async function trainStep(
  run: _Run,
  batch: Batch,
  epoch: number,
  step: number,
): Promise<[number, number]> {
  const { config, state } = run;
  const scheduled = learningRateAt(
    { ...config, lr: state.baseLr },
    epoch - state.scheduleEpoch,
    state.scheduleStep,
  );
  state.lr = run.callbacks.plateau.apply(scheduled);
  setLearningRate(run.optimizer, state.lr);
  const { x, y } = batchTensors(batch, run.data.numClasses);
  let out: number[];
  try {
    out = (await run.trainee.trainOnBatch(x, y)) as number[];
  } finally {
    x.dispose();
    y.dispose();
  }
  run.ema?.update();
  const [loss, acc] = [out[0]!, out[1]!];
  if (!Number.isFinite(loss)) {
    throw new RangeError(
      `the loss became ${loss} at epoch ${epoch + 1} step ${
        step + 1
      }: lower --lr (now ${state.lr})`,
    );
  }
  return [loss, acc];
}

/** Saves a checkpoint of an epoch stopped by the signal (resume repeats that epoch). */
async function saveInterrupted(run: _Run, epoch: number, steps: number): Promise<void> {
  run.reporter.info(
    `\ninterrupted in epoch ${epoch + 1} after ${steps} steps; saving a checkpoint`,
  );
  await saveCheckpoint(run.runDir, {
    model: run.model,
    optimizer: run.optimizer,
    manifest: manifestFor(run, { final: {}, best: bestMetrics(run) }),
    state: { ...run.state, interrupted: true },
  });
  if (run.ema) await saveEmaState(run.runDir, run.ema);
}

/** Scores the validation rows and writes the epoch's record into the history. */
async function validate(run: _Run, epoch: number, pass: _Pass): Promise<EpochRecord> {
  const { data, state } = run;
  const score = () =>
    evaluateExamples(run.model, run.feed.batches("valid", { batchSize: 500 }), {
      numClasses: data.numClasses,
    });
  const val = data.sizes.valid > 0 ? await (run.ema ? run.ema.withAveraged(score) : score()) : null;
  const busy = run.feed.busySeconds();
  const seconds = (performance.now() - pass.started) / 1000;
  const record: EpochRecord = {
    epoch: epoch + 1,
    loss: pass.lossSum / Math.max(1, pass.seen),
    acc: pass.accSum / Math.max(1, pass.seen),
    ...(val ? { val_loss: val.loss, val_acc: val.acc } : {}),
    lr: state.lr,
    optimizer: state.optimizer,
    seconds,
    imagesPerSecond: pass.seen / pass.seconds,
    ...(busy === null ? {} : { pipelineBusy: (busy - pass.busyBefore) / seconds }),
  };
  state.history.push(record);
  state.epoch = epoch + 1;
  run.reporter.epochEnd(record);
  return record;
}

/** Runs the callbacks, saves the checkpoint (and best/); returns true when EarlyStopping says stop. */
async function endEpoch(run: _Run, record: EpochRecord): Promise<boolean> {
  const { state, config, reporter } = run;
  const { best, early, plateau, monitor } = run.callbacks;
  const metrics = metricsOf(record);
  const improved = best.update(metrics, state.epoch);
  state.best = best.state;
  const stop = early.onEpochEnd(metrics, state.epoch);
  state.earlyStopping = early.monitor.state;
  if (plateau.onEpochEnd(metrics, state.epoch)) {
    reporter.info(`ReduceLROnPlateau: ${monitor} stalled; learning rate × ${config.plateauFactor}`);
  }
  state.plateau = plateau.state;
  maybeSwitchOptimizer(run, metrics);
  // Checkpoint: the run folder every epoch, best/ when the monitored metric improved.
  const manifest = manifestFor(run, { final: metrics, best: bestMetrics(run) });
  await saveCheckpoint(run.runDir, {
    model: run.model,
    optimizer: run.optimizer,
    manifest,
    state: { ...state, interrupted: false },
  });
  if (run.ema) await saveEmaState(run.runDir, run.ema);
  if (improved) {
    const saveBest = () => saveRun(join(run.runDir, BEST_DIR), run.model, manifest);
    await (run.ema ? run.ema.withAveraged(saveBest) : saveBest());
  }
  if (stop) {
    reporter.info(`EarlyStopping: ${monitor} has not improved for ${config.patience} epochs`);
  }
  return stop;
}

/** Switches to `--switch-optimizer` when the switch callback fires (the schedule restarts). */
function maybeSwitchOptimizer(run: _Run, metrics: Record<string, number>): void {
  const { state, config, callbacks: { switcher, plateau } } = run;
  if (switcher.onEpochEnd(metrics, state.epoch)) {
    const lr = config.switchLr > 0 ? config.switchLr : state.lr;
    const next = createOptimizer(switcher.to, lr, config.momentum);
    run.trainee.optimizer = next;
    if (run.trainee !== run.model) run.model.optimizer = next;
    run.optimizer.dispose();
    run.optimizer = next;
    run.reporter.info(
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
}

/** Restores the best epoch's weights (`restoreBest`); returns the final metrics. */
async function restoreBest(run: _Run, interrupted: boolean): Promise<Record<string, number>> {
  const { state, config, reporter } = run;
  const { best, monitor } = run.callbacks;
  const last = state.history.at(-1);
  let final: Record<string, number> = last ? metricsOf(last) : {};
  let restored = false;
  if (!interrupted && config.restoreBest && last && best.state.bestEpoch !== last.epoch) {
    if (await restoreBestWeights(run.runDir, run.model)) {
      reporter.info(`restored the weights of epoch ${best.state.bestEpoch} (best ${monitor})`);
      final = { ...bestMetrics(run) } as Record<string, number>;
      delete final.epoch;
      restored = true; // best/ was saved with the averaged weights already
    }
  }
  if (!interrupted && run.ema && !restored) {
    // The saved model holds the averaged weights (they were what validation scored).
    run.ema.swapIn();
    reporter.info(`using the averaged weights (EMA ${config.ema}, ${run.ema.updates} updates)`);
  }
  return final;
}

/** Fits temperature scaling on the validation split (the final weights) and prints it. */
async function calibrate(run: _Run): Promise<void> {
  const { data, reporter } = run;
  if (data.sizes.valid === 0) return;
  const batches = run.feed.batches("valid", { batchSize: 500 });
  const fit = await fitCalibration(run.model, batches, { numClasses: data.numClasses });
  if (fit === null) return;
  const c = fit.calibration;
  if (c.atBound) {
    reporter.info(
      `warning: the temperature fit ended at its bound (T ${fit.fitted.toPrecision(3)}) on ` +
        `${c.rows} validation rows, too few or too easy to calibrate on; keeping T 1`,
    );
  }
  reporter.info(
    `calibration: temperature ${c.temperature.toFixed(3)} on ${c.rows} validation rows; ` +
      `ECE ${c.eceBefore.toFixed(4)} → ${c.eceAfter.toFixed(4)}, ` +
      `NLL ${c.nllBefore.toFixed(4)} → ${c.nllAfter.toFixed(4)}`,
  );
  run.calibration = c;
}

/** The test set scored, the final save; returns the final manifest. */
async function finish(
  run: _Run,
  interrupted: boolean,
  metrics: Record<string, number>,
): Promise<Manifest> {
  const { state, reporter, data } = run;
  let final = metrics;
  if (!interrupted && data.testFile !== null) {
    const batches = run.feed.batches("test", { batchSize: 500 });
    const test = await evaluateExamples(run.model, batches, { numClasses: data.numClasses });
    final = { ...final, test_loss: test.loss, test_acc: test.acc };
    reporter.info(
      `test: acc ${test.acc.toFixed(4)}  loss ${test.loss.toFixed(4)}  ` +
        `(${data.sizes.test} images from ${data.testFile})`,
    );
  }
  const manifest = manifestFor(run, { final, best: bestMetrics(run) });
  if (!interrupted) {
    await saveCheckpoint(run.runDir, {
      model: run.model,
      optimizer: run.optimizer,
      manifest,
      state: { ...state, interrupted: false },
    });
  }
  reporter.info(`saved ${run.runDir}`);
  return manifest;
}

/** The manifest saved beside the weights. */
function manifestFor(run: _Run, metrics: Manifest["metrics"]): Manifest {
  const { config, data } = run;
  return {
    formatVersion: 1,
    architecture: run.modelName,
    inputShape: run.inputShape,
    pixelMax: data.pixelMax,
    classes: Array.from({ length: data.numClasses }, (_, i) => String(i)),
    config: { ...config, out: run.runDir } as unknown as Record<string, unknown>,
    data: data.fingerprint,
    metrics,
    backend: run.backend,
    seed: config.seed,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: DIGITS_VERSION },
    createdAt: new Date().toISOString(),
    epochsCompleted: run.state.epoch,
    ...(run.calibration ? { calibration: run.calibration } : {}),
    ...(run.derived ? { derived: run.derived } : {}),
  };
}

function metricsOf(r: EpochRecord): Record<string, number> {
  const m: Record<string, number> = { loss: r.loss, acc: r.acc };
  if (r.val_loss !== undefined) m.val_loss = r.val_loss;
  if (r.val_acc !== undefined) m.val_acc = r.val_acc;
  return m;
}

function bestMetrics(run: _Run): Manifest["metrics"]["best"] {
  const r = run.state.history.find((h) => h.epoch === run.callbacks.best.state.bestEpoch);
  return r ? { ...metricsOf(r), epoch: r.epoch } : {};
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

/** The config's augmentation keys, or undefined when every one is 0. */
function augmentOptions(config: TrainConfig): AugmentOptions | undefined {
  const options: AugmentOptions = {};
  for (const key of AUGMENT_KEYS) options[key] = config[key];
  return Object.values(options).some((v) => v > 0) ? options : undefined;
}
