import type { ChartSpec } from "../render_chart_svg.ts";

/**
 * Vega-Lite spec of a confusion matrix heat map (`matrix[true][predicted]`), with the count in
 * every non-empty cell. The colour scale is symmetric-log so that a handful of mistakes is still
 * visible beside a diagonal of thousands; empty cells stay white.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { confusionMatrixChart } from "./confusion_matrix_chart.ts";
 * const spec = confusionMatrixChart([[5, 1], [0, 4]], ["0", "1"]);
 * assert.ok(Array.isArray(spec.layer));
 * ```
 */
export function confusionMatrixChart(matrix: number[][], classes: string[]): ChartSpec {
  const values = matrix.flatMap((row, t) =>
    row.map((count, p) => ({ true: classes[t], predicted: classes[p], count, diagonal: t === p }))
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  const order = { sort: classes };
  return {
    title: "Confusion matrix (rows: true class, columns: predicted)",
    width: 36 * classes.length,
    height: 36 * classes.length,
    data: { values },
    encoding: {
      x: { field: "predicted", type: "ordinal", ...order, axis: { orient: "top", labelAngle: 0 } },
      y: { field: "true", type: "ordinal", ...order },
    },
    layer: [
      {
        transform: [{ filter: "datum.count > 0" }],
        mark: "rect",
        encoding: {
          color: {
            field: "count",
            type: "quantitative",
            scale: { type: "symlog", range: ["#e3eef9", "#08306b"], domain: [0, max] },
            legend: null,
          },
        },
      },
      {
        transform: [{ filter: "datum.count > 0" }],
        mark: { type: "text", fontSize: 10 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: {
            condition: { test: `datum.count > ${max / 8}`, value: "white" },
            value: "#222",
          },
        },
      },
    ],
  };
}
