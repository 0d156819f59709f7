/**
 * The model zoo: every architecture `--model NAME` accepts, with a one-line description. Factories
 * build nothing until called.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./model_config.ts";
import { createKaggleCnn } from "./kaggle_cnn.ts";
import { createWideCnn } from "./wide_cnn.ts";
import { createSimpleCnn } from "./simple_cnn.ts";
import { createSmallCnn } from "./small_cnn.ts";
import { createTinyCnn } from "./tiny_cnn.ts";
import { createDeotteCnn } from "./deotte_cnn.ts";
import { createLogreg } from "./logreg.ts";
import { createMlp } from "./mlp.ts";
import { createCompactCnn } from "./compact_cnn.ts";
import { createSimple5x5Cnn } from "./simple_5x5_cnn.ts";
import { createDigits8Cnn } from "./digits8_cnn.ts";
import { createSvm } from "./svm.ts";
import { createKnn, KNN_MAX_ROWS } from "./knn.ts";

/** One entry of the zoo. */
export interface ModelZooEntry {
  /** Builds a fresh, uncompiled model. */
  factory: (config: ModelConfig) => tf.LayersModel;
  /** One line for `--list-models`. */
  description: string;
  /** The smallest height/width the architecture accepts. */
  minInputSize: number;
  /**
   * The input sizes for which `--model auto` picks this model: "large" (at least 25×25, MNIST) or
   * "small" (UCI 8×8 digits and other small images).
   */
  defaultFor?: "large" | "small";
  /**
   * How the training loop trains it (absent: gradient steps on cross-entropy of the softmax
   * output). "hinge": gradient steps on `svmScoresModel(model)` (the class scores) with
   * train/categorical_hinge_loss.ts, saving the model itself; "fit": no gradient steps, call
   * train/fit_knn.ts instead of the epochs.
   */
  training?: "hinge" | "fit";
  /**
   * True for a linear model on the pixels: it cannot learn what a shifted or rotated copy of a
   * digit shares with the original, so augmentation only blurs its templates. Training then
   * defaults to no augmentation (measured on the full MNIST, default preset: logreg 88.78% with
   * the light augmentation, 92.61% without; svm 88.92% → 92.86%).
   */
  linear?: boolean;
}

/**
 * Every model `--model NAME` accepts.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { MODEL_ZOO } from "./model_zoo.ts";
 * assert.ok("kaggle-cnn" in MODEL_ZOO && "logreg" in MODEL_ZOO);
 * ```
 */
export const MODEL_ZOO: Readonly<Record<string, ModelZooEntry>> = {
  "kaggle-cnn": {
    factory: createKaggleCnn,
    description: "Conv 64-128-256 with BatchNorm, Dense 512-512-256 ELU (seed 000)",
    minInputSize: 8,
  },
  "wide-cnn": {
    factory: createWideCnn,
    description: "Conv 256-512-1024 with BatchNorm, per-position Dense 128 (seed 001; slow)",
    minInputSize: 4,
  },
  "simple-cnn": {
    factory: createSimpleCnn,
    description: "Conv 32-32-64-64 with MaxPool and Dropout, Dense 256 (seed 002)",
    minInputSize: 4,
  },
  "small-cnn": {
    factory: createSmallCnn,
    description: "Conv 32-64-64 with BatchNorm, Dense 128-64-32 with L2 and Dropout (seed 003)",
    minInputSize: 4,
  },
  "tiny-cnn": {
    factory: createTinyCnn,
    description: "Conv 16-32-64 with MaxPool and Dropout, Dense 128-512; for 8×8 digits (seed 004)",
    minInputSize: 8,
  },
  "deotte": {
    factory: createDeotteCnn,
    description: "Chris Deotte's Kaggle CNN: 32C3-32C3-32C5S2-64C3-64C3-64C5S2-128C4, BatchNorm",
    minInputSize: 25,
  },
  "compact-cnn": {
    factory: createCompactCnn,
    description: "Conv 16-32-64 with BatchNorm and MaxPool, Dense 128; the fast default",
    minInputSize: 8,
    defaultFor: "large",
  },
  "logreg": {
    factory: createLogreg,
    description: "softmax regression on the pixels (baseline)",
    minInputSize: 1,
    linear: true,
  },
  "mlp": {
    factory: createMlp,
    description: "fully connected Dense 256-128 with Dropout (baseline)",
    minInputSize: 1,
  },
  "digits8-cnn": {
    factory: createDigits8Cnn,
    description: "Conv 32-32-64 with BatchNorm, 2 MaxPools and Dropout, Dense 128; for 8×8 digits",
    minInputSize: 4,
    defaultFor: "small",
  },
  "simple-5x5": {
    factory: createSimple5x5Cnn,
    description: "M5 of arXiv 2008.10400: five 5×5 valid Conv 32-64-96-128-160, BatchNorm, ReLU",
    minInputSize: 21,
  },
  "svm": {
    factory: createSvm,
    description: "linear multi-class SVM (Crammer–Singer hinge loss) on the pixels (baseline)",
    minInputSize: 1,
    training: "hinge",
    linear: true,
  },
  "knn": {
    factory: createKnn,
    description: `nearest neighbours, soft vote over at most ${
      KNN_MAX_ROWS.toLocaleString("en-US")
    } stored training rows (baseline)`,
    minInputSize: 1,
    training: "fit",
  },
};
