import assert from "node:assert/strict";
import { applyTemperature } from "../../../common/apply_temperature.ts";
import { reliabilityDiagram } from "../../../report/charts/reliability_diagram.ts";
import { expectedCalibrationError } from "../../../common/expected_calibration_error.ts";
import { fitTemperature } from "../../../common/fit_temperature.ts";
import { reliabilityBins } from "../../../common/reliability_bins.ts";
import { renderChartSvg } from "../../../report/render_chart_svg.ts";
import { svgToPng } from "../../../report/svg_to_png.ts";
import { syntheticPredictions } from "../../common/_calibration_fixture.ts";

Deno.test("reliabilityDiagram renders before/after temperature scaling to SVG and PNG", async () => {
  const data = syntheticPredictions({ rows: 3000, sharpen: 2.5, seed: 9 });
  const { temperature } = fitTemperature(data.probs, data.labels, 10);
  const after = applyTemperature(data.probs, 10, temperature);
  const charts = [["Before temperature scaling", data.probs], ["After", after]] as const;
  for (const [title, probs] of charts) {
    const bins = reliabilityBins(probs, data.labels, 10);
    const ece = expectedCalibrationError(probs, data.labels, 10);
    const svg = await renderChartSvg(reliabilityDiagram(bins, { title, ece }));
    assert.ok(svg.startsWith("<svg"));
    assert.ok(svg.includes(title) && svg.includes(`ECE ${(ece * 100).toFixed(2)}%`));
    assert.ok(svg.includes("perfect calibration") && svg.includes("gap to confidence"));
    // One accuracy bar per non-empty bin.
    const filled = bins.filter((b) => b.count > 0).length;
    assert.equal(svg.match(/aria-roledescription="rect mark"/g)?.length, 2 * filled);
    const png = await svgToPng(svg);
    assert.deepEqual(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]); // "PNG"
    const out = Deno.env.get("RELIABILITY_PNG_DIR");
    if (out) await Deno.writeFile(`${out}/${title.split(" ")[0]!.toLowerCase()}.png`, png);
  }
});

Deno.test("reliabilityDiagram leaves empty bins out and omits the subtitle without an ECE", () => {
  const bins = reliabilityBins(new Float32Array([1, 0, 0.95, 0.05]), [0, 1], 2);
  const spec = reliabilityDiagram(bins, { title: "Two rows" });
  const layers = spec.layer as { data: { values: unknown[] } }[];
  assert.equal(layers[0]!.data.values.length, 1);
  assert.deepEqual(spec.title, { text: "Two rows" });
});
