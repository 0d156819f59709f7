import type { ChartSpec } from "../render_chart_svg.ts";
import type { ReliabilityBin } from "../../common/reliability_bins.ts";

/** Options of `reliabilityDiagram`. */
export interface ReliabilityDiagramOptions {
  /** e.g. "Before temperature scaling". */
  title: string;
  /** The expected calibration error of the same bins, shown under the title when given. */
  ece?: number;
  /** Plot width and height in pixels (square; default 260). */
  size?: number;
}

const SERIES = ["accuracy", "gap to confidence", "perfect calibration"];
const COLORS = ["#4c78a8", "#e45756", "#888888"];

/**
 * Vega-Lite spec of a reliability diagram (Guo et al. 2017, figure 1): for each confidence bin a
 * bar up to its accuracy, a translucent red band from the accuracy to the bin's mean confidence
 * (the miscalibration: above the bar when over-confident), the diagonal where accuracy equals
 * confidence, and each bin's row count above it. Empty bins are left out. Render it with
 * `renderChartSvg` (and `svgToPng` for a file), as the other charts in `report/charts/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reliabilityDiagram } from "./reliability_diagram.ts";
 * const bins = [
 *   { lower: 0.8, upper: 0.9, count: 10, confidence: 0.85, accuracy: 0.6 },
 *   { lower: 0.9, upper: 1, count: 0, confidence: NaN, accuracy: NaN },
 * ];
 * const spec = reliabilityDiagram(bins, { title: "Before", ece: 0.25 });
 * assert.ok(Array.isArray(spec.layer));
 * ```
 */
export function reliabilityDiagram(
  bins: ReliabilityBin[],
  options: ReliabilityDiagramOptions,
): ChartSpec {
  const size = options.size ?? 260;
  const values = bins.filter((b) => b.count > 0).map((b) => ({
    ...b,
    label: _countLabel(b.count),
    top: Math.max(b.accuracy, b.confidence),
  }));
  const unit = { type: "quantitative", scale: { domain: [0, 1], nice: false } } as const;
  const color = {
    scale: { domain: SERIES, range: COLORS },
    legend: { orient: "right", title: null },
  };
  return {
    title: {
      text: options.title,
      ...(options.ece === undefined
        ? {}
        : { subtitle: `ECE ${(options.ece * 100).toFixed(2)}% (${bins.length} bins)` }),
    },
    width: size,
    height: size,
    layer: [
      {
        data: { values },
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          x: { ...unit, field: "lower", title: "confidence (top probability)" },
          x2: { field: "upper" },
          y: { ...unit, field: "accuracy", title: "accuracy" },
          y2: { datum: 0 },
          color: { ...color, datum: SERIES[0] },
        },
      },
      {
        data: { values },
        mark: { type: "rect", fillOpacity: 0.3, stroke: COLORS[1], strokeWidth: 1.5 },
        encoding: {
          x: { ...unit, field: "lower" },
          x2: { field: "upper" },
          y: { ...unit, field: "accuracy" },
          y2: { field: "confidence" },
          color: { ...color, datum: SERIES[1] },
        },
      },
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: "line", strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          x: { ...unit, field: "x" },
          y: { ...unit, field: "y" },
          color: { ...color, datum: SERIES[2] },
        },
      },
      {
        data: { values },
        transform: [{ calculate: "(datum.lower + datum.upper) / 2", as: "middle" }],
        mark: { type: "text", dy: -5, fontSize: 8, color: "#333" },
        encoding: {
          x: { ...unit, field: "middle" },
          y: { ...unit, field: "top" },
          text: { field: "label" },
        },
      },
    ],
  };
}

/** A bin's row count in a few characters: 7, 950, 1.2k, 58k. */
function _countLabel(count: number): string {
  if (count < 1000) return String(count);
  return count < 10_000 ? `${(count / 1000).toFixed(1)}k` : `${Math.round(count / 1000)}k`;
}
