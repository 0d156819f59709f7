/**
 * `deno task evaluate`: scores a saved model (or several, averaged, or an ensemble folder) on
 * labelled data, by default the 10,000 embedded MNIST test images: loss, accuracy, per-class
 * precision/recall/F1/ROC-AUC, macro and weighted averages, the confusion matrix and the most
 * confident mistakes. Tables on a terminal, one JSON document with `--json`, an HTML report with
 * `--report`.
 *
 * @module
 */
import { FORMAT_FLAGS, FORMAT_FLAGS_HELP, readFormatFlags } from "./format_flags.ts";
import { numberFlag, parseFlags, stringFlag, stringListFlag } from "./parse_flags.ts";
import { UsageError } from "./errors.ts";
import type { Evaluation } from "../report/evaluation_accumulator.ts";
import type { CalibrationSummary } from "../report/calibration_summary.ts";

/** One line for the command list. */
export const summary = "score a saved model on labelled data: metrics, confusion matrix, report";

/** The full `--help` text. */
export const help = `deno task evaluate: score a saved model on labelled data

Usage: deno task evaluate --model RUN_DIR [--data labelled.csv] [options]

  --model DIR        run folder or ensemble folder; repeat to average several models (required)
  --data FILE        labelled CSV file(s) (default: the 10,000 embedded MNIST test images)
  --json             print one JSON document instead of tables
  --report FILE      also write an HTML report (PNG copies of its plots go to plots/ beside it)
  --mistakes N       how many of the most confident mistakes to list (default 10)
  --tta N            test-time augmentation: average over N seeded views (default 1: off)
  --uncalibrated     ignore the manifests' temperatures (score the raw softmax outputs)
  --batch-size N     images per inference batch (default 500)
  --backend NAME     auto, webgpu, native, wasm, cpu (default auto)

${FORMAT_FLAGS_HELP}

Calibration: each model's outputs are scaled by the temperature fitted on its validation split
(manifest.json "calibration"; runs without one use T 1), then averaged. The expected calibration
error (ECE, 15 bins) is shown before and after; for a calibrated model that costs a second pass.

Examples:
  deno task evaluate --model runs/mnist
  deno task evaluate --model runs/optdigits --data optdigits.tes --no-header --label-column last --pixel-max 16
  deno task evaluate --model runs/ens --json > metrics.json
  deno task evaluate --model runs/mnist --report runs/mnist/eval.html`;

const FLAGS = {
  model: { type: "string", multiple: true },
  data: { type: "string", multiple: true },
  json: { type: "boolean" },
  report: { type: "string" },
  mistakes: { type: "string" },
  tta: { type: "string" },
  uncalibrated: { type: "boolean" },
  "batch-size": { type: "string" },
  backend: { type: "string" },
  ...FORMAT_FLAGS,
} as const;

/** Runs `deno task evaluate`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS, "evaluate");
  const models = stringListFlag(values, "model");
  if (models.length === 0) throw new UsageError("--model RUN_DIR is required", "evaluate");
  const mistakes =
    numberFlag(values, "mistakes", "evaluate", { min: 0, max: 10000, integer: true }) ?? 10;
  const tta = numberFlag(values, "tta", "evaluate", { min: 1, max: 64, integer: true }) ?? 1;
  const batchSize =
    numberFlag(values, "batch-size", "evaluate", { min: 1, max: 65536, integer: true }) ??
      500;
  const reportPath = stringFlag(values, "report");
  const json = values.json === true;
  const format = readFormatFlags(values, "evaluate");

  const { selectBackend } = await import("../backend/select_backend.ts");
  const { Predictor } = await import("../predict/predictor.ts");
  const { evaluateFiles } = await import("../report/evaluate_files.ts");

  const backend = await selectBackend(stringFlag(values, "backend") ?? "auto");
  let data = stringListFlag(values, "data");
  let dataLabel = data.join(", ");
  if (data.length === 0) {
    const { ensureEmbeddedMnist } = await import("../data/embedded_mnist.ts");
    data = [(await ensureEmbeddedMnist()).testLabelledFile];
    dataLabel = "MNIST test set, 10,000 images";
  }
  const predictor = await Predictor.load(models, {
    tta,
    keepUncalibrated: true,
    uncalibrated: values.uncalibrated === true,
  });
  try {
    if (!json) {
      console.error(
        `evaluating ${
          models.join(", ")
        } (${predictor.models.length} model(s)) on ${dataLabel} with ${backend.name}`,
      );
    }
    const result = await evaluateFiles(predictor, {
      files: data,
      format,
      batchSize,
      mistakes,
      keepImages: reportPath !== undefined,
    });
    const ev = result.evaluation;
    if (reportPath !== undefined) {
      const { writeReport } = await import("../report/write_report.ts");
      const { readHistory } = await import("../report/read_history.ts");
      const files = await writeReport({
        out: reportPath,
        title: `${models.join(" + ")}: ${predictor.manifest.architecture}`,
        manifest: predictor.manifest,
        history: models.length === 1 ? await readHistory(models[0]!) : [],
        evaluation: ev,
        images: result.images,
        dataLabel: `${dataLabel} (${ev.rows.toLocaleString("en-US")} rows)`,
        model: predictor.models[0]!,
      });
      if (!json) console.error(`wrote ${files.html} and ${files.plots.length} PNG plots`);
    }
    if (json) {
      console.log(JSON.stringify(
        {
          models,
          data,
          backend: backend.name,
          tta,
          seconds: result.seconds,
          ...ev,
          ...(reportPath ? { report: reportPath } : {}),
        },
        null,
        2,
      ));
    } else {
      console.log(formatEvaluation(ev, result.seconds));
    }
  } finally {
    predictor.dispose();
  }
  return 0;
}

/** Terminal tables of an evaluation (what `evaluate` prints without `--json`). */
export function formatEvaluation(ev: Evaluation, seconds: number): string {
  const f = (x: number | null) => (x === null ? "     -" : x.toFixed(4));
  const lines: string[] = [];
  lines.push(
    `rows ${ev.rows}  loss ${ev.loss.toFixed(4)}  accuracy ${(ev.accuracy * 100).toFixed(2)}%  ` +
      `(${ev.rows - Math.round(ev.accuracy * ev.rows)} errors, ${seconds.toFixed(1)}s, ` +
      `${Math.round(ev.rows / Math.max(seconds, 1e-9))} rows/s)`,
  );
  if (ev.calibration) lines.push(formatCalibration(ev.calibration));
  lines.push("");
  const w = Math.max(12, ...ev.classes.map((c) => c.length));
  lines.push(`${"class".padStart(w)}  precision  recall      f1  roc_auc  support`);
  for (const c of ev.perClass) {
    lines.push(
      `${c.class.padStart(w)}     ${f(c.precision)}  ${f(c.recall)}  ${f(c.f1)}   ${f(c.rocAuc)}  ${
        String(c.support).padStart(7)
      }`,
    );
  }
  for (const [name, a] of [["macro avg", ev.macro], ["weighted avg", ev.weighted]] as const) {
    lines.push(
      `${name.padStart(w)}     ${f(a.precision)}  ${f(a.recall)}  ${f(a.f1)}   ${f(a.rocAuc)}  ${
        String(ev.rows).padStart(7)
      }`,
    );
  }
  lines.push("");
  lines.push("confusion matrix (rows: true, columns: predicted)");
  const cw = Math.max(4, ...ev.confusion.flat().map((n) => String(n).length + 1));
  lines.push(" ".repeat(w + 1) + ev.classes.map((c) => c.padStart(cw)).join(""));
  ev.confusion.forEach((row, t) =>
    lines.push(`${ev.classes[t]!.padStart(w)} ${row.map((n) => String(n).padStart(cw)).join("")}`)
  );
  if (ev.mistakes.length > 0) {
    lines.push("");
    lines.push(`${ev.mistakes.length} most confident mistakes`);
    lines.push("     row  true  predicted  probability");
    for (const m of ev.mistakes) {
      lines.push(
        `${String(m.row).padStart(8)}  ${m.true.padStart(4)}  ${m.predicted.padStart(9)}  ${
          m.probability.toFixed(4).padStart(11)
        }${m.id === undefined ? "" : `  id ${m.id}`}`,
      );
    }
  }
  return lines.join("\n");
}

/** One line: the temperatures and the ECE before → after. */
function formatCalibration(c: CalibrationSummary): string {
  const ts = [...new Set(c.temperatures.map((t) => t.toFixed(3)))];
  const what = c.temperatures.every((t) => t === 1)
    ? "uncalibrated (T 1)"
    : `temperature ${ts.length === 1 ? ts[0] : `${ts.join(", ")} (per model)`}`;
  return `calibration ${what}  ECE ${c.eceBefore.toFixed(4)} → ${c.eceAfter.toFixed(4)} ` +
    `(${c.bins} bins)`;
}
