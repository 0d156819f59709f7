import type * as tf from "@tensorflow/tfjs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { Manifest } from "../models/manifest.ts";
import { barChart } from "./charts/bar_chart.ts";
import { confusionMatrixChart } from "./charts/confusion_matrix_chart.ts";
import { learningCurvesChart } from "./charts/learning_curves_chart.ts";
import { reliabilityDiagram } from "./charts/reliability_diagram.ts";
import { digitGridPng } from "./digit_grid_png.ts";
import type { Evaluation, EvaluationImages } from "./evaluation_accumulator.ts";
import { escapeHtml } from "./escape_html.ts";
import { featureMaps } from "./feature_maps.ts";
import { mistakesGridPng } from "./mistakes_grid_png.ts";
import { pngDataUri } from "./png_data_uri.ts";
import type { HistoryEpoch } from "./read_history.ts";
import { type ChartSpec, renderChartSvg } from "./render_chart_svg.ts";
import { svgToPng } from "./svg_to_png.ts";

/** Everything a report can show; every part is optional and its section says when it is missing. */
export interface ReportInput {
  /** Path of the HTML file to write (e.g. `runs/x/report.html`). */
  out: string;
  /** Heading of the page (default: the model's architecture). */
  title?: string;
  /** The model's manifest (architecture, data, backend, metrics). */
  manifest?: Manifest;
  /** Per-epoch training history (learning curves). */
  history?: HistoryEpoch[];
  /** Metrics of the model on `dataLabel`. */
  evaluation?: Evaluation;
  /** Kept images and histograms from the same evaluation. */
  images?: EvaluationImages;
  /** Says which data the evaluation used ("MNIST test set, 10,000 images"). */
  dataLabel?: string;
  /** The model, for feature maps of its convolution layers (the first member of an ensemble). */
  model?: tf.LayersModel;
  /** Where the PNG copies of the plots go (default `plots/` beside `out`); `false`: none. */
  plotsDir?: string | false;
}

/** What `writeReport` wrote. */
export interface ReportFiles {
  html: string;
  /** PNG files of the same plots, for terminal users. */
  plots: string[];
}

/** Section ids of the report, in page order (tests check each is present). */
export const REPORT_SECTIONS = [
  "learning-curves",
  "confusion-matrix",
  "per-class-metrics",
  "calibration",
  "worst-mistakes",
  "sample-digits",
  "label-distribution",
  "pixel-histogram",
  "feature-maps",
] as const;

/**
 * Writes ONE self-contained `report.html` (charts as inline SVG rendered by Vega, digits as
 * inline `data:` PNGs; no script, no CDN, opens offline) and PNG copies of every plot in
 * `plotsDir`. Sections: learning curves, confusion matrix heat map, per-class metrics,
 * calibration (ECE and reliability diagrams before and after temperature scaling), worst mistakes, sample digits per class, label distribution, pixel-intensity histogram before and after
 * normalization, and feature maps of each convolution layer for one image.
 *
 * To build the input from a run folder and a data file, use `writeRunReport`.
 *
 * @example
 * ```ts ignore
 * await writeReport({ out: "runs/x/report.html", manifest, history, evaluation, images, model });
 * ```
 */
export async function writeReport(input: ReportInput): Promise<ReportFiles> {
  const plots = await _plotSink(input);
  const { evaluation: ev, images, manifest } = input;
  const classes = ev?.classes ?? manifest?.classes ?? [];
  const noEvaluation = missing("No evaluation data.");
  // In page order; each section writes its PNG copies as it goes.
  const sections: Record<(typeof REPORT_SECTIONS)[number], [string, string]> = {
    "learning-curves": ["Learning curves", await learningCurvesSection(input.history, plots)],
    "confusion-matrix": [
      "Confusion matrix",
      ev
        ? await plots.chart("confusion_matrix.png", confusionMatrixChart(ev.confusion, classes))
        : noEvaluation,
    ],
    "per-class-metrics": ["Per-class metrics", ev ? metricsTable(ev) : noEvaluation],
    "calibration": ["Calibration", await calibrationSection(ev, plots)],
    "worst-mistakes": ["Most confident mistakes", await mistakesSection(ev, images, plots)],
    "sample-digits": ["Sample digits per class", await samplesSection(images, classes, plots)],
    "label-distribution": [
      "Label distribution",
      await labelSection(ev, input.dataLabel, plots),
    ],
    "pixel-histogram": [
      "Pixel intensities before and after normalization",
      await histogramSection(images, plots),
    ],
    "feature-maps": ["Feature maps", await featureMapsSection(input.model, images, plots)],
  };
  const title = input.title ?? `Report: ${manifest?.architecture ?? "model"}`;
  const html = page(title, summary(input), sections);
  await writeFileAtomic(input.out, html);
  return { html: input.out, plots: plots.written };
}

/** Where the PNG copies go, and the charts rendered as inline SVG with a PNG copy. */
interface _PlotSink {
  written: string[];
  savePng(name: string, png: Uint8Array): Promise<void>;
  chart(name: string, spec: ChartSpec): Promise<string>;
}

async function _plotSink(input: ReportInput): Promise<_PlotSink> {
  const plotsDir = input.plotsDir === false
    ? undefined
    : input.plotsDir ?? join(dirname(input.out), "plots");
  if (plotsDir) await Deno.mkdir(plotsDir, { recursive: true });
  const sink: _PlotSink = {
    written: [],
    async savePng(name, png) {
      if (!plotsDir) return;
      const path = join(plotsDir, name);
      await writeFileAtomic(path, png);
      sink.written.push(path);
    },
    async chart(name, spec) {
      const svg = await renderChartSvg(spec);
      await sink.savePng(name, await svgToPng(svg));
      return `<div class="chart">${svg}</div>`;
    },
  };
  return sink;
}

function missing(what: string): string {
  return `<p class="missing">${escapeHtml(what)}</p>`;
}

async function learningCurvesSection(
  history: HistoryEpoch[] | undefined,
  plots: _PlotSink,
): Promise<string> {
  return history && history.length > 0
    ? await plots.chart("learning_curves.png", learningCurvesChart(history))
    : missing("No training history (history.json) for this model.");
}

/** The ECE before → after and the two reliability diagrams side by side. */
async function calibrationSection(ev: Evaluation | undefined, plots: _PlotSink): Promise<string> {
  const c = ev?.calibration;
  if (!c) return missing(ev ? "No calibration figures in this evaluation." : "No evaluation data.");
  const ts = [...new Set(c.temperatures.map((t) => t.toFixed(3)))];
  const what = c.temperatures.every((t) => t === 1)
    ? "This model has no fitted temperature (T = 1): before and after are the same."
    : `Temperature scaling, fitted on the validation split: T = ${ts.join(", ")}` +
      `${ts.length > 1 ? " (one per model, applied before averaging)" : ""}.`;
  const chart = await plots.chart("reliability_diagram.png", {
    hconcat: [
      reliabilityDiagram(c.before, { title: "Before temperature scaling", ece: c.eceBefore }),
      reliabilityDiagram(c.after, { title: "After temperature scaling", ece: c.eceAfter }),
    ],
  });
  return `<p>${escapeHtml(what)} Expected calibration error (${c.bins} bins): <b>${
    (c.eceBefore * 100).toFixed(2)
  }%</b> before → <b>${(c.eceAfter * 100).toFixed(2)}%</b> after. Bars: accuracy per ` +
    `confidence bin; red: the gap to the bin's mean confidence; numbers: rows per bin.</p>\n` +
    chart;
}

async function mistakesSection(
  ev: Evaluation | undefined,
  images: EvaluationImages | undefined,
  plots: _PlotSink,
): Promise<string> {
  if (!ev || !images || images.mistakes.length === 0) {
    return missing(ev ? "No mistakes: every row was classified correctly." : "No evaluation data.");
  }
  const { height: h, width: w } = images;
  const figures = ev.mistakes.map((m, i) => {
    const png = digitGridPng([images.mistakes[i]!], h, w, { gap: 0 });
    return `<figure><img class="digit" src="${pngDataUri(png)}" alt="row ${m.row}">` +
      `<figcaption>row ${m.row}${m.id === undefined ? "" : ` (id ${escapeHtml(m.id)})`}<br>` +
      `true <b>${escapeHtml(m.true)}</b> → pred <b class="bad">${escapeHtml(m.predicted)}</b><br>` +
      `p=${m.probability.toFixed(3)}</figcaption></figure>`;
  });
  await plots.savePng("mistakes.png", await mistakesGridPng(images.mistakes, ev.mistakes, h, w));
  return `<div class="grid">${figures.join("")}</div>`;
}

async function samplesSection(
  images: EvaluationImages | undefined,
  classes: string[],
  plots: _PlotSink,
): Promise<string> {
  if (!images || !images.samples.some((s) => s.length > 0)) return missing("No images kept.");
  const { height: h, width: w } = images;
  const rows = images.samples.map((samples, c) =>
    `<tr><th>${escapeHtml(classes[c] ?? String(c))}</th><td>${
      samples.length > 0
        ? `<img class="strip" style="height:${h * 2}px" src="${
          pngDataUri(digitGridPng(samples, h, w, { gap: 2 }))
        }" alt="class ${c}">`
        : "<i>none in the data</i>"
    }</td></tr>`
  );
  const perClass = Math.max(...images.samples.map((s) => s.length));
  const tiles = images.samples.flatMap((s) =>
    Array.from({ length: perClass }, (_, i) => s[i] ?? new Float32Array(h * w))
  );
  await plots.savePng(
    "sample_digits.png",
    digitGridPng(tiles, h, w, { columns: perClass, scale: 3, gap: 4 }),
  );
  return `<table class="samples">${rows.join("")}</table>`;
}

async function labelSection(
  ev: Evaluation | undefined,
  dataLabel: string | undefined,
  plots: _PlotSink,
): Promise<string> {
  if (!ev) return missing("No evaluation data.");
  const rows = ev.perClass.map((c) => ({ x: c.class, y: c.support }));
  return await plots.chart(
    "label_distribution.png",
    barChart(rows, {
      title: `Label distribution (${dataLabel ?? "evaluation data"})`,
      xTitle: "label",
      yTitle: "rows",
    }),
  );
}

async function histogramSection(
  images: EvaluationImages | undefined,
  plots: _PlotSink,
): Promise<string> {
  if (!images || !images.rawHistogram.some((n) => n > 0)) return missing("No images kept.");
  const raw = images.rawHistogram.map((y, x) => ({ x, y }));
  const bins = images.normalizedHistogram.length;
  const norm = images.normalizedHistogram.map((y, i) => ({ x: (i + 0.5) / bins, y }));
  const axis = { yTitle: "pixels (log scale)", logY: true, quantitativeX: true };
  return await plots.chart("pixel_histogram.png", {
    hconcat: [
      barChart(raw, {
        title: `Before: raw values 0..${images.pixelMax}`,
        xTitle: "pixel value",
        ...axis,
      }),
      barChart(norm, {
        title: "After: model input in [0, 1]",
        xTitle: "normalized value",
        ...axis,
      }),
    ],
  });
}

async function featureMapsSection(
  model: tf.LayersModel | undefined,
  images: EvaluationImages | undefined,
  plots: _PlotSink,
): Promise<string> {
  const chosen = images?.samples.find((s) => s.length > 0)?.[0];
  if (!model || !chosen || !images) {
    return missing(model ? "No image to run through the model." : "No model given.");
  }
  const maps = featureMaps(model, chosen);
  if (maps.length === 0) return missing("This model has no convolution layers.");
  const parts = [
    `<p>Input image:</p><img class="digit big" src="${
      pngDataUri(digitGridPng([chosen], images.height, images.width, { gap: 0 }))
    }" alt="input">`,
  ];
  for (const [i, m] of maps.entries()) {
    const scale = Math.max(1, Math.round(48 / Math.max(m.height, m.width)));
    const png = digitGridPng(m.channels, m.height, m.width, {
      columns: 16,
      scale,
      gap: 2,
      normalize: true,
      invert: false,
    });
    parts.push(
      `<h3>${
        escapeHtml(m.layer)
      }: ${m.channels.length} maps of ${m.height}×${m.width}</h3><img class="maps" src="${
        pngDataUri(png)
      }" alt="${escapeHtml(m.layer)}">`,
    );
    await plots.savePng(`feature_maps_${i + 1}_${m.layer.replace(/[^\w.-]+/g, "_")}.png`, png);
  }
  return parts.join("\n");
}

function summary(input: ReportInput): string {
  const items: string[] = [];
  const m = input.manifest;
  if (m) {
    items.push(`architecture <b>${escapeHtml(m.architecture)}</b>`);
    items.push(`input ${m.inputShape.join("×")}`);
    items.push(
      `trained ${m.epochsCompleted} epoch${m.epochsCompleted === 1 ? "" : "s"} on ${
        m.data.rows.toLocaleString("en-US")
      } rows`,
    );
    items.push(`backend ${escapeHtml(m.backend.name)}`);
    items.push(`saved ${escapeHtml(m.createdAt)}`);
  }
  const ev = input.evaluation;
  if (ev) {
    items.push(`<b>accuracy ${(ev.accuracy * 100).toFixed(2)}%</b>`);
    items.push(`loss ${ev.loss.toFixed(4)}`);
    items.push(`on ${escapeHtml(input.dataLabel ?? `${ev.rows} rows`)}`);
  }
  return `<p class="summary">${items.join(" · ")}</p>`;
}

function metricsTable(ev: Evaluation): string {
  const f = (x: number | null) => (x === null ? "–" : x.toFixed(4));
  const rows = ev.perClass.map((c) =>
    `<tr><td>${escapeHtml(c.class)}</td><td>${f(c.precision)}</td><td>${f(c.recall)}</td><td>${
      f(c.f1)
    }</td><td>${f(c.rocAuc)}</td><td>${c.support}</td></tr>`
  );
  const avg = (name: string, a: Evaluation["macro"], support: number) =>
    `<tr class="avg"><td>${name}</td><td>${f(a.precision)}</td><td>${f(a.recall)}</td><td>${
      f(a.f1)
    }</td><td>${f(a.rocAuc)}</td><td>${support}</td></tr>`;
  return `<table class="metrics"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>` +
    `<th>ROC-AUC</th><th>support</th></tr></thead><tbody>${rows.join("")}` +
    avg("macro avg", ev.macro, ev.rows) + avg("weighted avg", ev.weighted, ev.rows) +
    `<tr class="avg"><td>accuracy</td><td colspan="4">${f(ev.accuracy)} (loss ${
      ev.loss.toFixed(4)
    })</td><td>${ev.rows}</td></tr>` +
    `</tbody></table>`;
}

function page(
  title: string,
  summaryHtml: string,
  sections: Record<string, [string, string]>,
): string {
  const nav = REPORT_SECTIONS.map((id) => `<a href="#${id}">${escapeHtml(sections[id]![0])}</a>`)
    .join(" ");
  const body = REPORT_SECTIONS.map((id) =>
    `<section id="${id}"><h2>${escapeHtml(sections[id]![0])}</h2>\n${sections[id]![1]}\n</section>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 14px; font-weight: normal; margin: 16px 0 4px; }
nav a { margin-right: 12px; font-size: 13px; } .summary { color: #444; }
.missing { color: #888; font-style: italic; }
.chart svg { max-width: 100%; height: auto; }
table.metrics { border-collapse: collapse; font-size: 13px; } table.metrics td, table.metrics th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eee; }
table.metrics tr.avg td { font-weight: bold; background: #f6f8fa; }
table.samples th { padding-right: 8px; font-size: 16px; }
img.digit, img.strip, img.maps { image-rendering: pixelated; }
img.digit { width: 56px; height: 56px; border: 1px solid #ccc; } img.big { width: 112px; height: 112px; }
.grid { display: flex; flex-wrap: wrap; gap: 10px; }
figure { margin: 0; text-align: center; font-size: 11px; width: 92px; } .bad { color: #c00; }
img.maps { max-width: 100%; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${summaryHtml}
<nav>${nav}</nav>
${body}
<p class="missing">Written by digits on ${
    new Date().toISOString()
  }. Charts: Vega-Lite rendered to SVG; images: PNG (fast-png).</p>
</body></html>
`;
}
