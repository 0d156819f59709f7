/**
 * Checkpoints of a run folder. The folder is always a loadable model (`saveRun`: model.json,
 * weights.bin, manifest.json); a checkpoint adds what `--resume` needs:
 *
 * - `optimizer.bin`: the optimizer's variables (tfjs `optimizer.getWeights()`), raw float32/int32;
 * - `train_state.json`: epochs done, step counters, learning-rate and callback state, the optimizer's
 *   name and weight specs, and the history;
 * - `history.json`: every metric and the learning rate per epoch (for plots and people).
 *
 * Every file is written atomically (temporary file, then rename), model first and train state
 * last. A run killed at any moment leaves a loadable model; if it dies between the model and the
 * train state, `readCheckpoint` sees the epochs disagree and resumes from the model's epoch with a
 * fresh optimizer state. The best epoch is saved as a plain run folder in `best/`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { Manifest } from "../models/manifest.ts";
import { loadRun, saveRun } from "../models/model_io.ts";
import type { MonitorState } from "./metric_monitor.ts";
import type { PlateauState } from "./reduce_lr_on_plateau.ts";
import type { SwitchState } from "./optimizer_switch.ts";
import type { EpochRecord } from "./progress_reporter.ts";

/** The loop's state between epochs, as saved in `train_state.json`. */
export interface TrainState {
  formatVersion: 1;
  /** Epochs completed (an interrupted epoch does not count: resume repeats it). */
  epoch: number;
  /** Training steps taken since the start. */
  step: number;
  /** Epoch and steps since the current optimizer started (schedules restart on a switch). */
  scheduleEpoch: number;
  scheduleStep: number;
  /** Optimizer in use and the base learning rate its schedule starts from. */
  optimizer: string;
  baseLr: number;
  /** The learning rate at the last step. */
  lr: number;
  /** Callback states. */
  best: MonitorState;
  earlyStopping: MonitorState;
  plateau: PlateauState;
  switch: SwitchState;
  /** True when SIGINT (or an abort) stopped the run in the middle of an epoch. */
  interrupted: boolean;
  /** Specs of the tensors in optimizer.bin, in `getWeights()` order (null: none saved). */
  optimizerWeights: tf.io.WeightsManifestEntry[] | null;
  history: EpochRecord[];
}

const OPTIMIZER_BIN = "optimizer.bin";
const TRAIN_STATE_JSON = "train_state.json";
const HISTORY_JSON = "history.json";
/** The sub-folder holding the best epoch's model. */
export const BEST_DIR = "best";

/** Saves the model, the optimizer's variables and the loop's state into `dir`. */
export async function saveCheckpoint(
  dir: string,
  checkpoint: {
    model: tf.LayersModel;
    manifest: Manifest;
    optimizer: tf.Optimizer;
    state: Omit<TrainState, "optimizerWeights">;
  },
): Promise<void> {
  await saveRun(dir, checkpoint.model, checkpoint.manifest);
  let specs: tf.io.WeightsManifestEntry[] | null = null;
  const named = await checkpoint.optimizer.getWeights().catch(() => null);
  if (named !== null) {
    const encoded = await tf.io.encodeWeights(named);
    // getWeights() returns the live variables plus a fresh 'iter' scalar: dispose only the latter.
    for (const { name, tensor } of named) if (name === "iter") tensor.dispose();
    const data = new tf.io.CompositeArrayBuffer(encoded.data).slice();
    await writeFileAtomic(join(dir, OPTIMIZER_BIN), new Uint8Array(data));
    specs = encoded.specs;
  }
  const state: TrainState = { ...checkpoint.state, optimizerWeights: specs };
  await writeFileAtomic(join(dir, HISTORY_JSON), JSON.stringify(state.history, null, 2) + "\n");
  await writeFileAtomic(join(dir, TRAIN_STATE_JSON), JSON.stringify(state, null, 2) + "\n");
}

/** A checkpoint read back for `--resume`. */
export interface LoadedCheckpoint {
  model: tf.LayersModel;
  manifest: Manifest;
  state: TrainState;
  /** Sets the saved variables on a fresh optimizer of the saved kind (no-op when none saved). */
  restoreOptimizer(optimizer: tf.Optimizer): Promise<void>;
  /** Why the optimizer state was not restored, if it was not. */
  warning?: string;
}

/** Reads a run folder saved by `saveCheckpoint`, with a clear error when it is not one. */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const run = await loadRun(dir);
  if (run.ensemble) throw new TypeError(`${dir} is an ensemble folder; resume one member run`);
  let state: TrainState;
  try {
    state = await readJsonFile<TrainState>(join(dir, TRAIN_STATE_JSON), {
      missing: () =>
        new Deno.errors.NotFound(
          `${dir} has no ${TRAIN_STATE_JSON}: it was not saved by 'deno task train', so it ` +
            `cannot be resumed`,
        ),
      invalid: () => new SyntaxError(`${join(dir, TRAIN_STATE_JSON)} is not valid JSON`),
    });
  } catch (err) {
    run.models.forEach((m) => m.dispose());
    throw err;
  }
  const model = run.models[0]!;
  let warning: string | undefined;
  let specs = state.optimizerWeights;
  if (state.epoch !== run.manifest.epochsCompleted) {
    // Killed between writing the model and the state: the model is newer; trust it.
    warning = `the saved train state (epoch ${state.epoch}) is older than the model (epoch ` +
      `${run.manifest.epochsCompleted}); resuming with a fresh optimizer state`;
    state = { ...state, epoch: run.manifest.epochsCompleted, interrupted: false };
    specs = null;
  }
  const restoreOptimizer = async (optimizer: tf.Optimizer) => {
    if (specs === null || specs.length === 0) return;
    const bytes = await Deno.readFile(join(dir, OPTIMIZER_BIN));
    const map = tf.io.decodeWeights(bytes.buffer, specs);
    const named = specs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
    await optimizer.setWeights(named);
    // setWeights copies the values into new variables; the decoded tensors are ours to free.
    tf.dispose(Object.values(map));
  };
  return {
    model,
    manifest: run.manifest,
    state,
    restoreOptimizer,
    ...(warning ? { warning } : {}),
  };
}

/** Reads `best/`'s weights into `model` (restoreBestWeights). False when there is no best/. */
export async function restoreBestWeights(dir: string, model: tf.LayersModel): Promise<boolean> {
  try {
    await Deno.stat(join(dir, BEST_DIR, "model.json"));
  } catch {
    return false;
  }
  const best = await loadRun(join(dir, BEST_DIR));
  const bestModel = best.models[0]!;
  const weights = bestModel.getWeights();
  model.setWeights(weights);
  bestModel.dispose();
  return true;
}
