import { basename, join } from "node:path";
import { ensureEmbeddedMnist } from "../data/embedded_mnist.ts";
import type { CsvFormatOptions } from "../pipeline/csv_format.ts";
import { Predictor } from "../predict/predictor.ts";
import { evaluateFiles } from "./evaluate_files.ts";
import { readHistory } from "./read_history.ts";
import { type ReportFiles, writeReport } from "./write_report.ts";

/** Options of `writeRunReport`. */
export interface RunReportOptions {
  /** Labelled CSV files to evaluate on; default: the embedded MNIST test set (28×28 models only). */
  data?: string | string[];
  /** Format flags of `data`. */
  format?: CsvFormatOptions;
  /** Output HTML path (default `<runDir>/report.html`; PNGs go to `plots/` beside it). */
  out?: string;
  /** Confident mistakes shown (default 20). */
  mistakes?: number;
  /** Images per inference batch (default 500). */
  batchSize?: number;
}

/**
 * Builds `report.html` (and `plots/*.png`) for a run or ensemble folder: reads `history.json`,
 * evaluates the model on `data` (default: the 10,000 embedded MNIST test images when the model
 * takes 28×28 images; otherwise the report has no evaluation sections) and writes the report.
 * This is what a training run calls when it ends.
 *
 * @example
 * ```ts ignore
 * const { html, plots } = await writeRunReport("runs/mnist");
 * console.log(html, plots.length);
 * ```
 */
export async function writeRunReport(
  runDir: string,
  options: RunReportOptions = {},
): Promise<ReportFiles> {
  const predictor = await Predictor.load([runDir], { keepUncalibrated: true });
  try {
    const [h, w] = predictor.inputShape;
    let data = options.data;
    let dataLabel: string | undefined;
    if (data === undefined && h === 28 && w === 28) {
      data = (await ensureEmbeddedMnist()).testLabelledFile;
      dataLabel = "MNIST test set, 10,000 images";
    }
    const evaluated = data === undefined ? undefined : await evaluateFiles(predictor, {
      files: data,
      format: options.format ?? {},
      keepImages: true,
      mistakes: options.mistakes ?? 20,
      batchSize: options.batchSize ?? 500,
    });
    if (evaluated && dataLabel === undefined) {
      const names = (Array.isArray(data) ? data : [data!]).map((f) => basename(f)).join(", ");
      dataLabel = `${names}, ${evaluated.evaluation.rows.toLocaleString("en-US")} rows`;
    }
    const history = await readHistory(runDir);
    return await writeReport({
      out: options.out ?? join(runDir, "report.html"),
      title: `${basename(runDir)}: ${predictor.manifest.architecture}`,
      manifest: predictor.manifest,
      history,
      ...(evaluated ? { evaluation: evaluated.evaluation, images: evaluated.images } : {}),
      ...(dataLabel ? { dataLabel } : {}),
      model: predictor.models[0]!,
    });
  } finally {
    predictor.dispose();
  }
}
