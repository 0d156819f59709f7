import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite specification (kept loose: the chart builders in `report/charts/` produce them). */
export type ChartSpec = Record<string, unknown>;

/**
 * Compiles a Vega-Lite spec and renders it to a standalone SVG string on the server, with no
 * browser and no canvas (`renderer: "none"` + `toSVG()`), so the report embeds finished pictures
 * and opens offline without any script.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { renderChartSvg } from "./render_chart_svg.ts";
 * const svg = await renderChartSvg({
 *   data: { values: [{ x: 1, y: 2 }] },
 *   mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const compiled = vl.compile({
    config: {
      font: "DejaVu Sans, Helvetica, Arial, sans-serif",
      view: { stroke: "#ddd" },
      title: { fontSize: 14 },
    },
    ...spec,
  } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
