import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { InspectStats } from "../pipeline/inspect_file.ts";
import { barChart } from "./charts/bar_chart.ts";
import { digitGridPng } from "./digit_grid_png.ts";
import { renderChartSvg } from "./render_chart_svg.ts";
import { svgToPng } from "./svg_to_png.ts";

/** Optional extras for `writeInspectPlots`, gathered with `inspectFile`'s `onExample`. */
export interface InspectPlotExtras {
  /** A few images per class (pixels 0..255), drawn as a grid. */
  samples?: Uint8Array[][];
}

/**
 * The exploratory plots of `deno task inspect FILE.csv` (seeds 000 and 002) as PNG files in
 * `outDir`: the label distribution (labelled files), the pixel-intensity histogram (log scale),
 * and a grid of sample digits per class when `extras.samples` is given. Returns the paths written.
 *
 * @example
 * ```ts ignore
 * const stats = await inspectFile("train.csv");
 * console.log(await writeInspectPlots(stats, "plots/"));
 * ```
 */
export async function writeInspectPlots(
  stats: InspectStats,
  outDir: string,
  extras: InspectPlotExtras = {},
): Promise<string[]> {
  await Deno.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const save = async (name: string, png: Uint8Array) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, png);
    written.push(path);
  };
  const name = stats.files.length === 1 ? stats.files[0]! : `${stats.files.length} files`;
  if (stats.labelCounts.length > 0) {
    const spec = barChart(stats.labelCounts.map((y, x) => ({ x: String(x), y })), {
      title: `Label distribution of ${name} (${stats.rows.toLocaleString("en-US")} rows)`,
      xTitle: "label",
      yTitle: "rows",
      width: 360,
    });
    await save("label_distribution.png", await svgToPng(await renderChartSvg(spec)));
  }
  const histogram = stats.pixelHistogram.map((y, x) => ({ x, y }));
  const spec = barChart(histogram, {
    title: `Pixel intensities of ${name} (rescaled to 0..255)`,
    xTitle: "pixel value",
    yTitle: "pixels (log scale)",
    logY: true,
    quantitativeX: true,
    width: 420,
  });
  await save("pixel_histogram.png", await svgToPng(await renderChartSvg(spec)));
  const samples = extras.samples?.filter((s) => s.length > 0) ?? [];
  if (samples.length > 0) {
    const { height, width } = stats.format;
    const perClass = Math.max(...samples.map((s) => s.length));
    const tiles = samples.flatMap((s) =>
      Array.from({ length: perClass }, (_, i) => Float32Array.from(s[i] ?? [], (v) => v / 255))
        .map((t) => (t.length === 0 ? new Float32Array(height * width) : t))
    );
    await save(
      "sample_digits.png",
      digitGridPng(tiles, height, width, { columns: perClass, scale: 3, gap: 4 }),
    );
  }
  return written;
}
