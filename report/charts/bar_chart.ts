import type { ChartSpec } from "../render_chart_svg.ts";

/** Options of `barChart`. */
export interface BarChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Log y axis (empty bars left out), for histograms where one bar (blank pixels) dwarfs the rest. */
  logY?: boolean;
  /** Treat x as numbers (a histogram) instead of categories. */
  quantitativeX?: boolean;
  width?: number;
}

/**
 * Vega-Lite spec of a bar chart of `{x, y}` rows: the label distribution (categories) and the
 * pixel-intensity histograms (numeric x, log y).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { barChart } from "./bar_chart.ts";
 * const spec = barChart([{ x: "0", y: 3 }], { title: "Labels", xTitle: "label", yTitle: "rows" });
 * assert.ok(spec.mark !== undefined);
 * ```
 */
export function barChart(
  rows: { x: string | number; y: number }[],
  options: BarChartOptions,
): ChartSpec {
  return {
    title: options.title,
    width: options.width ?? 320,
    height: 180,
    data: { values: options.logY ? rows.filter((r) => r.y > 0) : rows },
    mark: options.quantitativeX ? { type: "bar", binSpacing: 0 } : { type: "bar" },
    encoding: {
      x: options.quantitativeX
        ? { field: "x", type: "quantitative", title: options.xTitle }
        : { field: "x", type: "ordinal", title: options.xTitle, axis: { labelAngle: 0 } },
      y: {
        field: "y",
        type: "quantitative",
        title: options.yTitle,
        ...(options.logY ? { scale: { type: "log" }, axis: { format: "~s" } } : {}),
      },
      // Bars on a log axis need a positive base: they start at 1.
      ...(options.logY ? { y2: { datum: 1 } } : {}),
      ...(options.quantitativeX ? {} : { tooltip: [{ field: "y" }] }),
    },
  };
}
