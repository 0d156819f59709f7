import * as tf from "@tensorflow/tfjs";
import type { Manifest } from "../models/manifest.ts";
import { loadRun } from "../models/model_io.ts";
import type { Batch } from "../pipeline/types.ts";
import { meanSoftmax } from "./mean_softmax.ts";
import { ttaViews } from "./tta_views.ts";

/** Options of `Predictor.load`. */
export interface PredictorOptions {
  /** Test-time augmentation: average over this many seeded views (1 = off, the default). */
  tta?: number;
  /** Seed of the TTA views (default 0). */
  seed?: number;
  /**
   * Each model's calibration temperature (default: all 1, the raw softmax). `Predictor.load`
   * reads them from the manifests.
   */
  temperatures?: readonly number[];
  /** Also give each batch's uncalibrated mean (`Prediction.uncalibrated`), for evaluate's ECE. */
  keepUncalibrated?: boolean;
  /** Ignore the manifests' temperatures: the raw softmax, as before calibration existed. */
  uncalibrated?: boolean;
}

/** One batch and its averaged softmax outputs (`batch.size * classes.length`, row-major). */
export interface Prediction {
  batch: Batch;
  /** Calibrated with each model's temperature (the raw softmax where every T is 1). */
  probs: Float32Array;
  /** The mean of the raw softmax outputs (with `keepUncalibrated`; `probs` itself when T is 1). */
  uncalibrated?: Float32Array;
}

/**
 * The models behind `predict`, `evaluate` and the report: one run folder, several (`--model a
 * --model b`) or an ensemble folder. Every prediction is the mean of the members' calibrated
 * softmax outputs (each member's temperature from its manifest, per TTA view) over every TTA view,
 * computed inside `tf.tidy` so no tensor outlives a call.
 *
 * @example
 * ```ts ignore
 * const predictor = await Predictor.load(["runs/mnist"], { tta: 4 });
 * for await (const { batch, probs } of predictor.predictStream(batches)) console.log(batch.size, probs[0]);
 * predictor.dispose();
 * ```
 */
export class Predictor {
  /** The run folders given. */
  readonly dirs: string[];
  /** The first member's manifest (all members share input shape and classes). */
  readonly manifest: Manifest;
  readonly models: tf.LayersModel[];
  readonly classes: string[];
  /** [height, width, channels]. */
  readonly inputShape: [number, number, number];
  readonly tta: number;
  readonly seed: number;
  /** One temperature per model (1: uncalibrated). */
  readonly temperatures: readonly number[];
  readonly keepUncalibrated: boolean;

  constructor(
    dirs: string[],
    manifest: Manifest,
    models: tf.LayersModel[],
    options: PredictorOptions = {},
  ) {
    if (models.length === 0) throw new RangeError("a predictor needs at least one model");
    this.dirs = dirs;
    this.manifest = manifest;
    this.models = models;
    this.classes = manifest.classes;
    this.inputShape = manifest.inputShape;
    this.tta = options.tta ?? 1;
    this.seed = options.seed ?? 0;
    this.temperatures = options.temperatures ?? models.map(() => 1);
    this.keepUncalibrated = options.keepUncalibrated ?? false;
    if (this.temperatures.length !== models.length) {
      throw new RangeError(
        `got ${this.temperatures.length} temperatures for ${models.length} models`,
      );
    }
    if (!Number.isInteger(this.tta) || this.tta < 1) {
      throw new RangeError(`the number of TTA views must be a positive integer, got ${this.tta}`);
    }
  }

  /**
   * Loads every run or ensemble folder in `dirs` as one averaged predictor. Members must agree on
   * input shape and classes; otherwise a `TypeError` names the two folders.
   */
  static async load(dirs: string[], options: PredictorOptions = {}): Promise<Predictor> {
    if (dirs.length === 0) throw new RangeError("give at least one model folder");
    const runs = [];
    for (const dir of dirs) runs.push(await loadRun(dir));
    const first = runs[0]!;
    for (const run of runs.slice(1)) {
      const a = first.manifest;
      const b = run.manifest;
      if (
        a.inputShape.join("x") !== b.inputShape.join("x") || a.classes.join() !== b.classes.join()
      ) {
        for (const r of runs) r.models.forEach((m) => m.dispose());
        throw new TypeError(
          `models ${first.dir} (${a.inputShape.join("×")}, classes ${a.classes.join("")}) and ` +
            `${run.dir} (${b.inputShape.join("×")}, classes ${b.classes.join("")}) cannot be ` +
            `averaged: they need the same input shape and classes`,
        );
      }
    }
    const temperatures = options.uncalibrated ? undefined : runs.flatMap((r) => r.temperatures);
    return new Predictor(dirs, first.manifest, runs.flatMap((r) => r.models), {
      ...options,
      ...(temperatures ? { temperatures } : {}),
    });
  }

  /**
   * Throws a `TypeError` when images of `height`×`width` (from `file`) do not fit the model.
   */
  assertFits(height: number, width: number, file: string): void {
    const [h, w] = this.inputShape;
    if (height !== h || width !== w) {
      throw new TypeError(
        `${file} holds ${height}×${width} images (${
          height * width
        } pixel columns) but the model in ` +
          `${this.dirs.join(", ")} expects ${h}×${w} (${h * w} pixel columns)`,
      );
    }
  }

  /** True when some model has a temperature other than 1. */
  get calibrated(): boolean {
    return this.temperatures.some((t) => t !== 1);
  }

  /** Averaged calibrated softmax outputs for one batch: `batch.size * classes.length` values. */
  predict(batch: Batch): Promise<Float32Array> {
    return this.#mean(batch, this.temperatures);
  }

  /** Predicts a stream of batches one at a time (memory stays flat whatever the input size). */
  async *predictStream(batches: AsyncIterable<Batch>): AsyncGenerator<Prediction> {
    for await (const batch of batches) {
      const probs = await this.predict(batch);
      if (!this.keepUncalibrated) {
        yield { batch, probs };
        continue;
      }
      // A second pass through the models, only when some temperature changes the outputs.
      const uncalibrated = this.calibrated ? await this.#mean(batch, undefined) : probs;
      yield { batch, probs, uncalibrated };
    }
  }

  async #mean(batch: Batch, temperatures: readonly number[] | undefined): Promise<Float32Array> {
    const [h, w, c] = this.inputShape;
    this.assertFits(batch.height, batch.width, "the input");
    const views = ttaViews(batch.x, batch.size, h, w, this.tta, this.seed, batch.rows);
    const mean = tf.tidy(() =>
      meanSoftmax(
        this.models,
        views.map((view) => tf.tensor4d(view, [batch.size, h, w, c])),
        temperatures,
      )
    );
    try {
      return (await mean.data()) as Float32Array;
    } finally {
      mean.dispose();
    }
  }

  /** Frees every model's weights. */
  dispose(): void {
    for (const model of this.models) model.dispose();
  }
}
