/**
 * The training config: plain data, one documented value per key. Every key is also a flag of
 * `deno task train` (`batchSize` is `--batch-size`), a key of a `--config FILE.json`, and a key of a
 * preset (train/presets.ts). The resolved config is printed at the start of a run and saved in the
 * run's manifest.json.
 *
 * @module
 */

import { BACKEND_NAMES } from "../backend/backend_names.ts";

/** Every setting of a training run. */
export interface TrainConfig {
  // --- data -------------------------------------------------------------------------------------
  /** Training CSV files, folders or globs; empty: the embedded MNIST training set. */
  data: string[];
  /** A separate labelled validation CSV; empty: hold out `validSplit` of the training data. */
  valid: string;
  /** Fraction of the training rows held out for validation when `valid` is empty (0: none). */
  validSplit: number;
  /** Hold out the same fraction of every class. */
  stratify: boolean;
  /** A labelled CSV scored after training ("": the MNIST test set for the embedded data; "none"). */
  test: string;
  /** First line is a header (null: detect). */
  header: boolean | null;
  /** Label column: a header name, a 0-based index or "last" ("": the `label` column, else none). */
  labelColumn: string;
  /** Largest pixel value in the CSVs (0: 255; 16 for UCI optdigits). */
  pixelMax: number;
  /** Skip malformed rows (reporting them) instead of stopping at the first. */
  skipBadRows: boolean;
  /** Use at most this many training rows (0: all). */
  limit: number;
  /**
   * Training files read at the same time, records interleaved as `tf.data.Dataset.interleave`
   * (1: one file after the other, the order earlier runs used, so their splits stay the same).
   */
  cycleLength: number;
  /** Records taken from one file before moving to the next open one. */
  blockLength: number;
  /** Shuffle the order of the training files with `seed` before reading. */
  shuffleFiles: boolean;
  /**
   * Run the data pipeline in a Worker (another core), batches handed over as transferable buffers;
   * false: in this thread. Off by default until it is measured on a quiet machine: on the shared
   * build machine a Worker run peaked about 47 MB higher (the Worker's own heap). Rows given in
   * memory (k-fold and ensemble members) always run in this thread.
   */
  workerPrefetch: boolean;
  // --- model ------------------------------------------------------------------------------------
  /** Zoo model name (`--list-models`), or "auto": the default for the input size. */
  model: string;
  // --- optimisation -----------------------------------------------------------------------------
  /** Passes over the training data. */
  epochs: number;
  /** Images per training step. */
  batchSize: number;
  /** Initial learning rate. */
  lr: number;
  /** adam, sgd (with momentum) or rmsprop. */
  optimizer: string;
  /** Momentum of sgd (0: plain SGD) and of rmsprop. */
  momentum: number;
  /** Optimizer to switch to ("none", or adam/sgd/rmsprop), after `switchAfter` epochs or a plateau. */
  switchOptimizer: string;
  /** Switch after this many epochs (0: only on a plateau). */
  switchAfter: number;
  /** Switch when the monitored metric has not improved for this many epochs (0: never). */
  switchPatience: number;
  /** Learning rate after the switch (0: keep the current one). */
  switchLr: number;
  /** Learning-rate schedule: constant, exponential (per step) or epoch (per-epoch multiplier). */
  schedule: string;
  /** exponential: multiply the rate by `decayRate` every `decaySteps` steps (seed 001: 0.91, 255). */
  decayRate: number;
  /** exponential: steps per decay. */
  decaySteps: number;
  /** epoch: rate = lr × epochDecay^epoch (Deotte: 0.95). */
  epochDecay: number;
  /** ReduceLROnPlateau: epochs without improvement before the rate is cut (0: off). */
  plateauPatience: number;
  /** ReduceLROnPlateau: factor the rate is multiplied by. */
  plateauFactor: number;
  /** Lowest learning rate ReduceLROnPlateau goes to. */
  minLr: number;
  /** Metric that EarlyStopping, ReduceLROnPlateau, the optimizer switch and best/ follow. */
  monitor: string;
  /** EarlyStopping: epochs without improvement before training stops (0: never stop early). */
  patience: number;
  /** At the end, keep the weights of the best epoch rather than of the last. */
  restoreBest: boolean;
  /**
   * Decay of an exponential moving average of the weights (0: off; e.g. 0.999): validation,
   * best/ and the saved model use the averaged weights (train/weight_average.ts).
   */
  ema: number;
  // --- augmentation (pipeline/augment_options.ts) -----------------------------------------------
  /** Augmentation preset: none, light, standard or strong; the six values below override it. */
  augment: string;
  /** Maximum rotation in degrees (either way). */
  rotation: number;
  /** Maximum zoom as a fraction (0.1: 90%..110%). */
  zoom: number;
  /** Maximum horizontal shift as a fraction of the width. */
  widthShift: number;
  /** Maximum vertical shift as a fraction of the height. */
  heightShift: number;
  /** Maximum shear in degrees. */
  shear: number;
  /** Maximum contrast change as a fraction. */
  contrast: number;
  // --- run --------------------------------------------------------------------------------------
  /** Seed for splits, shuffles, augmentation and weight initialisation. */
  seed: number;
  /** tfjs backend: auto, native, wasm, cpu or webgpu (backend/select_backend.ts). */
  backend: string;
  /** Run folder ("": runs/<YYYYMMDD-HHMMSS>-<model>/). */
  out: string;
  /** Print one JSON object per epoch instead of a progress bar or text line. */
  json: boolean;
  /** K-fold cross-validation: train K models on K splits (0: off; train/cross_validate.ts). */
  folds: number;
  /** Train N models with different seeds and save them as an ensemble (0: off). */
  ensemble: number;
}

/** How a config value is typed and checked, and its one-line help. */
export type ConfigField =
  | { type: "integer" | "number"; default: number; min?: number; max?: number; help: string }
  | { type: "boolean"; default: boolean; help: string }
  | { type: "optional-boolean"; default: boolean | null; help: string }
  | { type: "string"; default: string; choices?: readonly string[]; help: string }
  | { type: "strings"; default: string[]; help: string };

const OPTIMIZERS = ["adam", "sgd", "rmsprop"] as const;
const MONITORS = ["val_loss", "val_acc", "loss", "acc"] as const;

/**
 * Every config key with its type, range, default and help line. `DEFAULT_CONFIG` is built from it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CONFIG_FIELDS } from "./config.ts";
 * assert.ok(CONFIG_FIELDS.batchSize.type === "integer");
 * ```
 */
export const CONFIG_FIELDS: { readonly [K in keyof TrainConfig]: ConfigField } = {
  data: {
    type: "strings",
    default: [],
    help: "training CSV files, folders or globs (default: embedded MNIST)",
  },
  valid: {
    type: "string",
    default: "",
    help: "labelled validation CSV (default: hold out --valid-split)",
  },
  validSplit: {
    type: "number",
    default: 0.1,
    min: 0,
    max: 0.9,
    help: "fraction held out for validation",
  },
  stratify: { type: "boolean", default: false, help: "hold out the same fraction of every class" },
  test: {
    type: "string",
    default: "",
    help: "labelled CSV scored after training ('none' to skip)",
  },
  header: {
    type: "optional-boolean",
    default: null,
    help: "the first line is a header (default: detect)",
  },
  labelColumn: { type: "string", default: "", help: "label column: name, 0-based index or 'last'" },
  pixelMax: {
    type: "integer",
    default: 0,
    min: 0,
    max: 65535,
    help: "largest pixel value (0: 255)",
  },
  skipBadRows: { type: "boolean", default: false, help: "skip malformed rows instead of stopping" },
  limit: { type: "integer", default: 0, min: 0, help: "use at most N training rows (0: all)" },
  cycleLength: {
    type: "integer",
    default: 1,
    min: 1,
    max: 1024,
    help: "training files read at once, records interleaved",
  },
  blockLength: {
    type: "integer",
    default: 1,
    min: 1,
    help: "records taken from one file per turn of the interleave",
  },
  shuffleFiles: {
    type: "boolean",
    default: false,
    help: "shuffle the training file order (seeded)",
  },
  workerPrefetch: {
    type: "boolean",
    default: false,
    help: "run the data pipeline in a Worker on another core",
  },
  model: { type: "string", default: "auto", help: "zoo model (see --list-models) or auto" },
  epochs: {
    type: "integer",
    default: 5,
    min: 1,
    max: 10000,
    help: "passes over the training data",
  },
  batchSize: { type: "integer", default: 64, min: 1, max: 65536, help: "images per step" },
  lr: { type: "number", default: 1e-3, min: 0, max: 10, help: "initial learning rate" },
  optimizer: { type: "string", default: "adam", choices: OPTIMIZERS, help: "adam, sgd or rmsprop" },
  momentum: { type: "number", default: 0.9, min: 0, max: 1, help: "momentum of sgd/rmsprop" },
  switchOptimizer: {
    type: "string",
    default: "none",
    choices: ["none", ...OPTIMIZERS],
    help: "optimizer to switch to after --switch-after epochs or a plateau",
  },
  switchAfter: { type: "integer", default: 0, min: 0, help: "switch after N epochs (0: off)" },
  switchPatience: {
    type: "integer",
    default: 0,
    min: 0,
    help: "switch after N epochs without improvement",
  },
  switchLr: {
    type: "number",
    default: 0,
    min: 0,
    max: 10,
    help: "learning rate after the switch (0: keep)",
  },
  schedule: {
    type: "string",
    default: "constant",
    choices: ["constant", "exponential", "epoch"],
    help: "learning-rate schedule: constant, exponential (per step), epoch (per epoch)",
  },
  decayRate: {
    type: "number",
    default: 0.91,
    min: 0,
    max: 1,
    help: "exponential: factor per decay",
  },
  decaySteps: { type: "integer", default: 255, min: 1, help: "exponential: steps per decay" },
  epochDecay: { type: "number", default: 0.95, min: 0, max: 1, help: "epoch: rate = lr * N^epoch" },
  plateauPatience: {
    type: "integer",
    default: 0,
    min: 0,
    help: "ReduceLROnPlateau patience (0: off)",
  },
  plateauFactor: { type: "number", default: 0.5, min: 0, max: 1, help: "ReduceLROnPlateau factor" },
  minLr: { type: "number", default: 1e-5, min: 0, max: 10, help: "ReduceLROnPlateau floor" },
  monitor: {
    type: "string",
    default: "val_loss",
    choices: MONITORS,
    help: "metric the callbacks follow",
  },
  patience: {
    type: "integer",
    default: 0,
    min: 0,
    help: "EarlyStopping patience in epochs (0: off)",
  },
  restoreBest: { type: "boolean", default: true, help: "end with the best epoch's weights" },
  ema: {
    type: "number",
    default: 0,
    min: 0,
    max: 0.99999,
    help: "weight EMA decay, e.g. 0.999 (0: off); validates and saves the averaged weights",
  },
  augment: {
    type: "string",
    default: "none",
    choices: ["none", "light", "standard", "strong"],
    help: "augmentation preset: none, light, standard, strong (the flags below override it)",
  },
  rotation: { type: "number", default: 0, min: 0, max: 180, help: "max rotation in degrees" },
  zoom: { type: "number", default: 0, min: 0, max: 0.9, help: "max zoom fraction" },
  widthShift: {
    type: "number",
    default: 0,
    min: 0,
    max: 0.9,
    help: "max horizontal shift fraction",
  },
  heightShift: {
    type: "number",
    default: 0,
    min: 0,
    max: 0.9,
    help: "max vertical shift fraction",
  },
  shear: { type: "number", default: 0, min: 0, max: 80, help: "max shear in degrees" },
  contrast: { type: "number", default: 0, min: 0, max: 0.9, help: "max contrast change fraction" },
  seed: {
    type: "integer",
    default: 42,
    min: 0,
    max: 2 ** 31 - 1,
    help: "seed for splits, shuffles, init",
  },
  backend: { type: "string", default: "auto", choices: BACKEND_NAMES, help: "tfjs backend" },
  out: { type: "string", default: "", help: "run folder (default runs/<date>-<model>/)" },
  json: { type: "boolean", default: false, help: "print one JSON object per epoch" },
  folds: {
    type: "integer",
    default: 0,
    min: 0,
    max: 100,
    help: "k-fold cross-validation (0: off)",
  },
  ensemble: {
    type: "integer",
    default: 0,
    min: 0,
    max: 100,
    help: "train an ensemble of N models (0: off)",
  },
};

/**
 * The built-in defaults (the `default` preset adds to them).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * assert.ok(DEFAULT_CONFIG.optimizer === "adam");
 * ```
 */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze(
  Object.fromEntries(
    Object.entries(CONFIG_FIELDS).map(([key, field]) => [
      key,
      Array.isArray(field.default) ? [...field.default] : field.default,
    ]),
  ) as unknown as TrainConfig,
);

/** The six augmentation keys (pipeline/augment_options.ts). */
export const AUGMENT_KEYS = [
  "rotation",
  "zoom",
  "widthShift",
  "heightShift",
  "shear",
  "contrast",
] as const;

/**
 * What `--augment NAME` expands to. "standard" is the Keras ImageDataGenerator setting of the
 * Kaggle notebooks (rotation 10°, zoom 0.1, shifts 0.1).
 */
export const AUGMENT_PRESETS: Readonly<
  Record<string, Readonly<Pick<TrainConfig, (typeof AUGMENT_KEYS)[number]>>>
> = {
  none: { rotation: 0, zoom: 0, widthShift: 0, heightShift: 0, shear: 0, contrast: 0 },
  light: { rotation: 8, zoom: 0.08, widthShift: 0.08, heightShift: 0.08, shear: 0, contrast: 0 },
  standard: { rotation: 10, zoom: 0.1, widthShift: 0.1, heightShift: 0.1, shear: 0, contrast: 0 },
  strong: {
    rotation: 15,
    zoom: 0.15,
    widthShift: 0.12,
    heightShift: 0.12,
    shear: 10,
    contrast: 0.2,
  },
};
