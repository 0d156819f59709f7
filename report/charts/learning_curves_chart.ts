import type { ChartSpec } from "../render_chart_svg.ts";
import type { HistoryEpoch } from "../read_history.ts";

/**
 * Vega-Lite spec of the learning curves: loss and accuracy per epoch (training and validation),
 * and the learning rate (log scale), side by side. Panels without data are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { learningCurvesChart } from "./learning_curves_chart.ts";
 * const spec = learningCurvesChart([{ epoch: 1, loss: 0.4, acc: 0.9, lr: 1e-3 }]);
 * assert.ok(Array.isArray(spec.hconcat) && spec.hconcat.length === 3);
 * ```
 */
export function learningCurvesChart(history: HistoryEpoch[]): ChartSpec {
  const panel = (title: string, series: [keyof HistoryEpoch, string][], log = false) => {
    const values = history.flatMap((h) =>
      series.flatMap(([key, name]) =>
        h[key] === undefined ? [] : [{ epoch: h.epoch, series: name, value: h[key] }]
      )
    );
    if (values.length === 0) return undefined;
    return {
      title,
      width: 260,
      height: 200,
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "epoch",
          type: "quantitative",
          title: "epoch",
          axis: { tickMinStep: 1, format: "d" },
        },
        y: {
          field: "value",
          type: "quantitative",
          title: null,
          scale: log ? { type: "log" } : { zero: false },
          axis: log ? { format: ".0e", labelOverlap: "greedy" } : {},
        },
        color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom" } },
      },
    };
  };
  const panels = [
    panel("Loss", [["loss", "train"], ["val_loss", "validation"]]),
    panel("Accuracy", [["acc", "train"], ["val_acc", "validation"]]),
    panel("Learning rate", [["lr", "lr"]], true),
  ].filter((p) => p !== undefined);
  return { hconcat: panels, resolve: { scale: { color: "independent" } } };
}
