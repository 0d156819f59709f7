import type { Batch } from "../pipeline/types.ts";
import { classificationMetrics } from "./classification_metrics.ts";
import { confusionMatrix } from "./confusion_matrix.ts";
import { logLoss } from "../common/log_loss.ts";
import { oneVsRestRocAuc } from "./roc_auc.ts";
import { type CalibrationSummary, calibrationSummary } from "./calibration_summary.ts";

/** One misclassified row, most confident first in `Evaluation.mistakes`. */
export interface Mistake {
  /** 1-based data row (the header is not counted), or the running index when rows are not tracked. */
  row: number;
  /** The `id` column value, when the input had one. */
  id?: string;
  /** True class label (as written in `classes`). */
  true: string;
  /** Predicted class label. */
  predicted: string;
  /** Softmax probability of the predicted class. */
  probability: number;
  /** Probability given to the true class. */
  trueProbability: number;
}

/** Everything `evaluate` prints, writes as JSON and draws in the report. */
export interface Evaluation {
  rows: number;
  loss: number;
  accuracy: number;
  classes: string[];
  perClass: {
    class: string;
    precision: number;
    recall: number;
    f1: number;
    support: number;
    /** One-vs-rest ROC-AUC; null when the class never appears (or is the only one). */
    rocAuc: number | null;
  }[];
  /** Unweighted means over classes (ROC-AUC over the classes that have one). */
  macro: { precision: number; recall: number; f1: number; rocAuc: number | null };
  /** Means weighted by support. */
  weighted: { precision: number; recall: number; f1: number; rocAuc: number | null };
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  /** The most confident mistakes, most confident first. */
  mistakes: Mistake[];
  /**
   * ECE and reliability bins before and after calibration (when the uncalibrated outputs were
   * given to `add`); every other figure is of the calibrated outputs.
   */
  calibration?: CalibrationSummary;
}

/** Pictures kept for the report alongside the numbers (only with `keepImages`). */
export interface EvaluationImages {
  height: number;
  width: number;
  /** Pixels in [0, 1] of each entry of `Evaluation.mistakes`, same order. */
  mistakes: Float32Array[];
  /** Up to `samplesPerClass` images per class, in input order. */
  samples: Float32Array[][];
  /** Histogram of pixel values in the file's own scale (0..pixelMax), one bin per integer value. */
  rawHistogram: number[];
  /** Histogram of the normalized values the model sees, `NORMALIZED_BINS` bins over [0, 1]. */
  normalizedHistogram: number[];
  pixelMax: number;
}

/** Options of `EvaluationAccumulator`. */
export interface EvaluationAccumulatorOptions {
  /** Class labels in output order. */
  classes: string[];
  /** How many confident mistakes to keep (default 20). */
  mistakes?: number;
  /** Keep images and histograms for the HTML report (default false). */
  keepImages?: boolean;
  /** Sample images kept per class with `keepImages` (default 8). */
  samplesPerClass?: number;
  /** The input file's maximum pixel value, for the "before normalization" histogram (default 255). */
  pixelMax?: number;
  /** Each model's calibration temperature, recorded in `Evaluation.calibration`. */
  temperatures?: readonly number[];
}

/** Number of bins of the normalized-pixel histogram. */
export const NORMALIZED_BINS = 50;

/**
 * Collects labels and softmax outputs batch by batch and turns them into an `Evaluation`: loss,
 * accuracy, per-class precision/recall/F1/ROC-AUC, macro and weighted averages, the confusion
 * matrix and the most confident mistakes. Memory grows by `numClasses + 2` numbers per row
 * (ROC-AUC needs every score), plus the few kept images.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { EvaluationAccumulator } from "./evaluation_accumulator.ts";
 * const acc = new EvaluationAccumulator({ classes: ["0", "1"] });
 * acc.add({ x: new Float32Array(2), y: new Int32Array([0, 1]), size: 2, height: 1, width: 1 },
 *   new Float32Array([0.9, 0.1, 0.3, 0.7]));
 * assert.ok(acc.finish().accuracy === 1);
 * ```
 */
export class EvaluationAccumulator {
  readonly classes: string[];
  #k: number;
  #maxMistakes: number;
  #keepImages: boolean;
  #samplesPerClass: number;
  #pixelMax: number;
  #labels: number[] = [];
  #predicted: number[] = [];
  #probs: Float32Array = new Float32Array(1024);
  #uncalibrated: Float32Array | null = null;
  #temperatures: readonly number[];
  #count = 0;
  #mistakes: (Mistake & { image?: Float32Array })[] = [];
  #samples: Float32Array[][];
  #rawHistogram: number[];
  #normalizedHistogram = new Array<number>(NORMALIZED_BINS).fill(0);
  #height = 0;
  #width = 0;

  constructor(options: EvaluationAccumulatorOptions) {
    if (options.classes.length < 2) {
      throw new RangeError(`an evaluation needs at least 2 classes, got ${options.classes.length}`);
    }
    this.classes = options.classes;
    this.#k = options.classes.length;
    this.#maxMistakes = options.mistakes ?? 20;
    this.#keepImages = options.keepImages ?? false;
    this.#samplesPerClass = options.samplesPerClass ?? 8;
    this.#pixelMax = options.pixelMax ?? 255;
    this.#temperatures = options.temperatures ?? [1];
    this.#samples = Array.from({ length: this.#k }, () => []);
    this.#rawHistogram = new Array<number>(Math.round(this.#pixelMax) + 1).fill(0);
  }

  /**
   * Adds one batch and its softmax outputs (`batch.size * numClasses` values, row-major); with
   * `uncalibrated` (the same rows before temperature scaling, given for every batch or none), the
   * evaluation also holds the calibration error before and after.
   */
  add(batch: Batch, probs: Float32Array, uncalibrated?: Float32Array): void {
    const k = this.#k;
    for (const p of uncalibrated ? [probs, uncalibrated] : [probs]) {
      if (p.length !== batch.size * k) {
        throw new RangeError(
          `expected ${batch.size * k} probabilities for ${batch.size} rows, got ${p.length}`,
        );
      }
    }
    this.#probs = _append(this.#probs, probs, this.#count * k);
    if (uncalibrated) {
      this.#uncalibrated = _append(
        this.#uncalibrated ?? new Float32Array(1024),
        uncalibrated,
        this.#count * k,
      );
    }
    const pixels = batch.height * batch.width;
    this.#height = batch.height;
    this.#width = batch.width;
    for (let i = 0; i < batch.size; i++) {
      const label = batch.y[i]!;
      if (label < 0 || label >= k) {
        const where = batch.rows ? `row ${batch.rows[i]}` : `row ${this.#count + i + 1}`;
        throw new RangeError(
          `${where} has label ${label}, but the model knows classes 0..${
            k - 1
          }; evaluate needs labelled data`,
        );
      }
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
      this.#labels.push(label);
      this.#predicted.push(best);
      const image = () => batch.x.slice(i * pixels, (i + 1) * pixels);
      if (best !== label) {
        const probability = probs[i * k + best]!;
        const worst = this.#mistakes[this.#mistakes.length - 1];
        if (
          this.#mistakes.length < this.#maxMistakes || (worst && probability > worst.probability)
        ) {
          const mistake: Mistake & { image?: Float32Array } = {
            row: batch.rows?.[i] ?? this.#count + i + 1,
            true: this.classes[label]!,
            predicted: this.classes[best]!,
            probability,
            trueProbability: probs[i * k + label]!,
          };
          const id = batch.ids?.[i];
          if (id !== undefined) mistake.id = id;
          if (this.#keepImages) mistake.image = image();
          this.#mistakes.push(mistake);
          this.#mistakes.sort((a, b) => b.probability - a.probability);
          if (this.#mistakes.length > this.#maxMistakes) this.#mistakes.pop();
        }
      }
      if (this.#keepImages) {
        const kept = this.#samples[label]!;
        if (kept.length < this.#samplesPerClass) kept.push(image());
      }
    }
    if (this.#keepImages) {
      const raw = this.#rawHistogram;
      const norm = this.#normalizedHistogram;
      const end = batch.size * pixels;
      for (let j = 0; j < end; j++) {
        const v = Math.min(1, Math.max(0, batch.x[j]!));
        raw[Math.round(v * this.#pixelMax)]!++;
        norm[Math.min(NORMALIZED_BINS - 1, Math.floor(v * NORMALIZED_BINS))]!++;
      }
    }
    this.#count += batch.size;
  }

  /** Number of rows added so far. */
  get rows(): number {
    return this.#count;
  }

  /** Computes every metric over the rows added so far. */
  finish(): Evaluation {
    const k = this.#k;
    const probs = this.#probs.subarray(0, this.#count * k);
    const confusion = confusionMatrix(this.#labels, this.#predicted, k);
    const metrics = classificationMetrics(confusion);
    const auc = oneVsRestRocAuc(probs, this.#labels, k);
    const defined = auc.map((a, c) => ({ a, support: metrics.perClass[c]!.support }))
      .filter((e): e is { a: number; support: number } => e.a !== null);
    const supportWithAuc = defined.reduce((s, e) => s + e.support, 0);
    return {
      rows: this.#count,
      loss: logLoss(probs, this.#labels, k),
      accuracy: metrics.accuracy,
      classes: this.classes,
      perClass: metrics.perClass.map((m, c) => ({
        class: this.classes[c]!,
        ...m,
        rocAuc: auc[c]!,
      })),
      macro: {
        ...metrics.macro,
        rocAuc: defined.length === 0 ? null : defined.reduce((s, e) => s + e.a, 0) / defined.length,
      },
      weighted: {
        ...metrics.weighted,
        rocAuc: supportWithAuc === 0
          ? null
          : defined.reduce((s, e) => s + e.a * e.support, 0) / supportWithAuc,
      },
      confusion,
      mistakes: this.#mistakes.map(({ image: _image, ...m }) => m),
      ...(this.#uncalibrated
        ? {
          calibration: calibrationSummary(
            this.#uncalibrated.subarray(0, this.#count * k),
            probs,
            this.#labels,
            k,
            this.#temperatures,
          ),
        }
        : {}),
    };
  }

  /** The kept images and histograms (empty unless constructed with `keepImages`). */
  images(): EvaluationImages {
    return {
      height: this.#height,
      width: this.#width,
      mistakes: this.#mistakes.flatMap((m) => (m.image ? [m.image] : [])),
      samples: this.#samples,
      rawHistogram: this.#rawHistogram,
      normalizedHistogram: this.#normalizedHistogram,
      pixelMax: this.#pixelMax,
    };
  }
}

/** `target` with `values` written at `offset`, grown (doubled) first when it is too short. */
function _append(target: Float32Array, values: Float32Array, offset: number): Float32Array {
  let out = target;
  while (out.length < offset + values.length) {
    const grown = new Float32Array(out.length * 2);
    grown.set(out);
    out = grown;
  }
  out.set(values, offset);
  return out;
}
