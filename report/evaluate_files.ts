import type { CsvFormat, CsvFormatOptions } from "../pipeline/csv_format.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import { digitBatches } from "../pipeline/digit_batches.ts";
import type { Predictor } from "../predict/predictor.ts";
import {
  type Evaluation,
  EvaluationAccumulator,
  type EvaluationImages,
} from "./evaluation_accumulator.ts";

/** Options of `evaluateFiles`. */
export interface EvaluateFilesOptions {
  /** Labelled CSV files (a file, folder, glob or list, as `readExamples` takes). */
  files: string | string[];
  /** Format flags (`--no-header`, `--label-column`, `--pixel-max`); detected when absent. */
  format?: CsvFormatOptions;
  /** Images per inference batch (default 500). */
  batchSize?: number;
  /** Confident mistakes to keep (default 20). */
  mistakes?: number;
  /** Keep images and histograms for the report (default false). */
  keepImages?: boolean;
}

/** What `evaluateFiles` returns. */
export interface FileEvaluation {
  evaluation: Evaluation;
  images: EvaluationImages;
  format: CsvFormat;
  /** Wall-clock seconds of reading and predicting. */
  seconds: number;
}

/**
 * Streams labelled CSV files through `predictor` batch by batch and scores them. A file without a
 * label column, or with images of another size than the model's, is rejected with a `TypeError`
 * naming the file before any prediction.
 *
 * @example
 * ```ts ignore
 * const predictor = await Predictor.load(["runs/mnist"]);
 * const { evaluation } = await evaluateFiles(predictor, { files: "test_labelled.csv" });
 * console.log(evaluation.accuracy);
 * ```
 */
export async function evaluateFiles(
  predictor: Predictor,
  options: EvaluateFilesOptions,
): Promise<FileEvaluation> {
  const started = performance.now();
  let format: CsvFormat | undefined;
  const shown = Array.isArray(options.files) ? options.files.join(", ") : options.files;
  const examples = readExamples({
    files: options.files,
    format: options.format ?? {},
    onFormat: (f) => {
      format = f;
      if (f.labelIndex < 0) {
        throw new TypeError(
          `${shown} has no label column, so it cannot be scored: evaluate needs labelled data ` +
            `(name the column with --label-column NAME, an index, or 'last'; to predict unlabelled ` +
            `rows use 'deno task predict')`,
        );
      }
      predictor.assertFits(f.height, f.width, shown);
    },
  });
  const accumulator = new EvaluationAccumulator({
    classes: predictor.classes,
    mistakes: options.mistakes ?? 20,
    keepImages: options.keepImages ?? false,
    pixelMax: options.format?.pixelMax ?? 255,
    temperatures: predictor.temperatures,
  });
  const batches = digitBatches({
    examples,
    batchSize: options.batchSize ?? 500,
    keepIds: true,
  });
  for await (const { batch, probs, uncalibrated } of predictor.predictStream(batches)) {
    accumulator.add(batch, probs, uncalibrated);
  }
  if (format === undefined || accumulator.rows === 0) {
    throw new RangeError(`${shown} holds no data rows to evaluate`);
  }
  return {
    evaluation: accumulator.finish(),
    images: accumulator.images(),
    format,
    seconds: (performance.now() - started) / 1000,
  };
}
