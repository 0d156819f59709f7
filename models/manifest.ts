/**
 * `manifest.json`: what makes a run folder self-describing. `predict`, `evaluate` and `serve` need
 * nothing but the folder: the architecture, input shape, pixel scale and classes are all here.
 *
 * @module
 */

/** Describes one trained model (one run folder). */
export interface Manifest {
  /** Format version of this file. */
  formatVersion: 1;
  /** Model zoo name, e.g. "kaggle-cnn". */
  architecture: string;
  /** [height, width, channels], e.g. [28, 28, 1] or [8, 8, 1]. */
  inputShape: [number, number, number];
  /** The maximum pixel value in the training CSVs (255 for MNIST, 16 for UCI optdigits). */
  pixelMax: number;
  /** Class labels in output order (the digit for each softmax unit). */
  classes: string[];
  /** The resolved training config, as printed at the start of the run. */
  config: Record<string, unknown>;
  /** Training data fingerprint. */
  data: { files: string[]; rows: number; sha256: string };
  /** Metrics of the last epoch and of the best epoch (validation when available). */
  metrics: { final: Record<string, number>; best: Record<string, number> & { epoch?: number } };
  /** The tfjs backend that trained it, and why it was chosen. */
  backend: { name: string; reason: string };
  seed: number;
  versions: { deno: string; tfjs: string; digits: string };
  /** ISO date of the save. */
  createdAt: string;
  /** Epochs completed (for --resume). */
  epochsCompleted: number;
  /**
   * Temperature scaling fitted on the validation split after training (absent: T = 1, as for
   * runs saved before calibration existed, or runs without a validation split).
   */
  calibration?: Calibration;
  /**
   * The defaults derived from the data (train/derive_training_defaults.ts), when the run used
   * them: the line the run printed and the config values they set.
   */
  derived?: { line: string; values: Record<string, unknown> };
}

/** How a run's softmax outputs are calibrated: `softmax(log p / temperature)`. */
export interface Calibration {
  method: "temperature";
  /** The temperature predict, evaluate and serve apply (1 when the fit hit its bound). */
  temperature: number;
  fittedOn: "validation";
  /** Validation rows the fit used. */
  rows: number;
  /** Mean negative log-likelihood on those rows at T = 1 and at `temperature`. */
  nllBefore: number;
  nllAfter: number;
  /** Expected calibration error on those rows at T = 1 and at `temperature`. */
  eceBefore: number;
  eceAfter: number;
  /** Confidence bins of the ECE. */
  bins: number;
  /** True when the fit ended at the edge of its search range; `temperature` is then 1. */
  atBound: boolean;
}

/** `ensemble.json` in an ensemble folder: the members (sub-folders), averaged by softmax. */
export interface EnsembleManifest {
  formatVersion: 1;
  kind: "ensemble";
  /** Member run folders, relative to the ensemble folder. */
  members: string[];
  /** Free-form description of how it was made (folds, bagging). */
  method: string;
  metrics?: Record<string, number>;
}
